#!/usr/bin/env python3
"""Measure cohort beside its peers and write BENCHMARKS.md (called by bench/run.sh, which builds and installs).

Workloads per corpus size (synthetic cohorts from ../shared/bench/scale_corpus.py):
  parse     cohort's parser vs pulldown-cmark's raw event stream on the same bytes (examples/bench_parse)
  ingest    first and incremental (unchanged) ingest: wall time and peak RSS (/usr/bin/time)
  search    in-process p50/p99 over bench/queries.txt (examples/bench_search); the CLI per query vs `rg -i -c -F`
  stats     `cohort stats checklist` wall time
  dupes     `cohort dupes` vs ../shared/bench/peer_datasketch.py on the same answers: wall time, peak RSS
  check     `cohort check` wall time
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
VENV = ROOT / "bench" / ".venv" / "bin"


def timed(cmd, stdout=subprocess.DEVNULL, ok=(0,)):
    """Wall seconds and peak RSS (MB) of one command (perf_counter and the child's own rusage)."""
    # stderr goes to a file, not a pipe: a pipe nobody reads while waiting fills up (ingest warns about every
    # report with a duplicate group, over 64 kB at 10k reports) and the child then blocks for ever.
    with tempfile.TemporaryFile() as errf:
        t = time.perf_counter()
        p = subprocess.Popen([str(c) for c in cmd], stdout=stdout, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise RuntimeError(f"{cmd} failed ({code}): {err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def median_spread(values):
    return statistics.median(values), (max(values) - min(values)) if len(values) > 1 else 0.0


def fmt(v, unit=""):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:,.0f}{unit}"
    if v >= 10:
        return f"{v:.1f}{unit}"
    return f"{v:.3g}{unit}"


def has_command(cohort, name):
    return subprocess.run([cohort, name, "--help"], capture_output=True).returncode == 0


def queries():
    lines = (ROOT / "bench" / "queries.txt").read_text().splitlines()
    return [l.strip() for l in lines if l.strip() and not l.startswith("#")]


def bench_size(n, args, work):
    cohort = args.target / "cohort"
    corpus = work / f"scale{n}"
    if not (corpus / "done").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, SHARED / "bench" / "scale_corpus.py", str(n), corpus, "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
        (corpus / "done").write_text("")
    res = {"n": n, "bytes": sum(f.stat().st_size for f in corpus.rglob("*.md"))}

    print(f"[{n}] parse", file=sys.stderr)
    res["parse"] = json.loads(subprocess.run([args.target / "examples" / "bench_parse", corpus, str(args.runs)],
                                             check=True, capture_output=True, text=True).stdout)

    print(f"[{n}] ingest", file=sys.stderr)
    index = work / f"index{n}"
    first, incr = [], []
    for _ in range(args.runs):
        shutil.rmtree(index, ignore_errors=True)
        first.append(timed([cohort, "ingest", corpus, "--index", index]))
    for _ in range(args.runs):
        incr.append(timed([cohort, "ingest", corpus, "--index", index]))
    res["ingest_first"] = [w for w, _ in first], max(r for _, r in first)
    res["ingest_incr"] = [w for w, _ in incr], max(r for _, r in incr)

    print(f"[{n}] search", file=sys.stderr)
    qfile = ROOT / "bench" / "queries.txt"
    res["search_inproc"] = json.loads(subprocess.run(
        [args.target / "examples" / "bench_search", index, qfile, str(args.runs)],
        check=True, capture_output=True, text=True).stdout)
    rg = VENV / "rg"
    per_query = []
    for q in queries():
        term = q.strip('"')
        c = [timed([cohort, "search", q, "--index", index, "--limit", "20"])[0] for _ in range(args.runs)]
        r = [timed([rg, "-i", "-c", "-F", term, corpus], ok=(0, 1))[0] for _ in range(args.runs)] if rg.exists() else None
        per_query.append((q, statistics.median(c), statistics.median(r) if r else None))
    res["search_cli"] = per_query

    print(f"[{n}] stats", file=sys.stderr)
    res["stats"] = [timed([cohort, "stats", "checklist", "--index", index])[0] for _ in range(max(args.runs, 5))]

    if has_command(cohort, "dupes"):
        print(f"[{n}] dupes", file=sys.stderr)
        runs = [timed([cohort, "dupes", corpus, "--json"]) for _ in range(args.runs)]
        res["dupes"] = [w for w, _ in runs], max(r for _, r in runs)
        answers = work / f"answers{n}.jsonl"
        subprocess.run([sys.executable, SHARED / "bench" / "answers_jsonl.py", corpus, answers], check=True,
                       stdout=subprocess.DEVNULL)
        if n <= args.peer_max:
            peer = [timed([VENV / "python", SHARED / "bench" / "peer_datasketch.py", answers, "0.3"])
                    for _ in range(1 if n > 2000 else args.runs)]
            res["dupes_peer"] = [w for w, _ in peer], max(r for _, r in peer)
    if has_command(cohort, "check"):
        print(f"[{n}] check", file=sys.stderr)
        res["check"] = [timed([cohort, "check", corpus, "--json"])[0] for _ in range(args.runs)]
    return res


def machine():
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.0f} GB memory, {platform.system()} {platform.release()}"


def write(results, args):
    out = ["# Benchmarks", "",
           f"Produced by `bench/run.sh --sizes {','.join(map(str, args.sizes))} --runs {args.runs}` on "
           f"{time.strftime('%Y-%m-%d')}; machine: {machine()}. Release build. Corpora: "
           "`../shared/bench/scale_corpus.py N DIR --seed 1` (real vocabulary, shuffled and perturbed). "
           f"Each figure is the median of {args.runs} runs (spread = max - min) unless stated.", ""]

    out += ["## Parse", "", "| reports | MB | pulldown-cmark raw events | cohort parse (full: keys, checklist, facts) | ratio | reports/s |",
            "|---|---|---|---|---|---|"]
    for r in results:
        p = r["parse"]
        out.append(f"| {r['n']:,} | {p['megabytes']:.1f} | {p['pulldown_mb_s']:.0f} MB/s (±{p['pulldown_spread_s']:.3f} s) | "
                   f"{p['cohort_mb_s']:.1f} MB/s (±{p['cohort_spread_s']:.3f} s) | {p['ratio']:.2f} | {p['cohort_reports_s']:.0f} |")

    out += ["", "## Ingest", "", "| reports | first ingest | peak RSS | unchanged re-ingest | peak RSS | re-ingest / first |",
            "|---|---|---|---|---|---|"]
    for r in results:
        (fw, frss), (iw, irss) = r["ingest_first"], r["ingest_incr"]
        fm, fs = median_spread(fw)
        im, is_ = median_spread(iw)
        out.append(f"| {r['n']:,} | {fm:.2f} s (±{fs:.2f}) | {frss:.0f} MB | {im:.2f} s (±{is_:.2f}) | {irss:.0f} MB | {im / fm:.1%} |")

    out += ["", "## Search", "",
            f"In-process (`examples/bench_search`, index opened once, {len(queries())} queries × {args.runs} rounds, top 20):", "",
            "| reports | p50 | p99 | max |", "|---|---|---|---|"]
    for r in results:
        s = r["search_inproc"]
        out.append(f"| {r['n']:,} | {s['p50_ms']:.2f} ms | {s['p99_ms']:.2f} ms | {s['max_ms']:.2f} ms |")
    out += ["", "Command line per query (process start and index opening included) beside `rg -i -c -F TERM DIR` "
            "over the raw files, median per query:", "",
            "| reports | cohort search (median over queries) | rg (median over queries) | rg / cohort (median of per-query ratios) | slowest cohort query |",
            "|---|---|---|---|---|"]
    for r in results:
        pq = r["search_cli"]
        c = statistics.median(x[1] for x in pq)
        rgs = [x[2] for x in pq if x[2] is not None]
        ratio = statistics.median(x[2] / x[1] for x in pq if x[2]) if rgs else None
        slow = max(pq, key=lambda x: x[1])
        out.append(f"| {r['n']:,} | {c * 1000:.1f} ms | {fmt(statistics.median(rgs) * 1000 if rgs else None, ' ms')} | "
                   f"{fmt(ratio, '×')} | {slow[0]} {slow[1] * 1000:.0f} ms |")

    out += ["", "## Statistics", "", "| reports | `cohort stats checklist` (CLI, whole process) |", "|---|---|"]
    for r in results:
        m, s = median_spread(r["stats"])
        out.append(f"| {r['n']:,} | {m * 1000:.0f} ms (±{s * 1000:.0f}) |")

    if any("dupes" in r for r in results):
        out += ["", "## Duplicates (speed)", "", "| reports | cohort dupes | peak RSS | datasketch peer (0.3) | peak RSS | peer / cohort |",
                "|---|---|---|---|---|---|"]
        for r in results:
            if "dupes" not in r:
                continue
            (dw, drss) = r["dupes"]
            dm, ds = median_spread(dw)
            if "dupes_peer" in r:
                (pw, prss) = r["dupes_peer"]
                pm, _ = median_spread(pw)
                out.append(f"| {r['n']:,} | {dm:.2f} s (±{ds:.2f}) | {drss:.0f} MB | {pm:.2f} s | {prss:.0f} MB | {pm / dm:.1f}× |")
            else:
                out.append(f"| {r['n']:,} | {dm:.2f} s (±{ds:.2f}) | {drss:.0f} MB | not run (over --peer-max) | – | – |")
    dupes_md = ROOT / "bench" / "dupes.md"  # quality and 10k speed beside the peer, written by bench/dupes.py
    if dupes_md.exists():
        out += ["", dupes_md.read_text().strip()]
    if any("check" in r for r in results):
        out += ["", "## Check", "", "| reports | `cohort check` (whole corpus) |", "|---|---|"]
        for r in results:
            if "check" in r:
                m, s = median_spread(r["check"])
                out.append(f"| {r['n']:,} | {m:.2f} s (±{s:.2f}) |")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        out += ["", notes.read_text().strip()]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(out) + "\n")
    print("wrote BENCHMARKS.md", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=Path, required=True)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-max", type=int, default=10000, help="largest size the (slow) peer is run on")
    ap.add_argument("--report-only", action="store_true", help="rewrite BENCHMARKS.md from the last run's results")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "cohort-bench")
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if not (SHARED / "bench").is_dir():
        sys.exit(f"{SHARED / 'bench'} is absent: the benchmarks need ../shared/bench and ../shared/corpus")
    args.work.mkdir(parents=True, exist_ok=True)
    saved = args.work / "results.json"
    if args.report_only:
        results = json.loads(saved.read_text())
    else:
        results = [bench_size(n, args, args.work) for n in args.sizes]
        saved.write_text(json.dumps(results, indent=1))
    write(results, args)


if __name__ == "__main__":
    main()
