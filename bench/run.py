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

    # The whole command: discovery, reading, parsing on every core, JSON out.
    res["parse_cli"] = [timed([cohort, "parse", corpus, "--json"])[0] for _ in range(args.runs)]
    res["load"] = os.getloadavg()[0]

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


def targets(results):
    """The issue's targets beside what this run measured, for the largest corpus size."""
    r = max(results, key=lambda r: r["n"])
    rows = []

    def row(what, target, value, ok):
        rows.append(f"| {what} | {target} | {value} | {'met' if ok else '**missed**'} |")

    fw, frss = r["ingest_first"]
    iw, _ = r["ingest_incr"]
    fm, im = statistics.median(fw), statistics.median(iw)
    row("ingest, first", "≤ 60 s", f"{fm:.1f} s", fm <= 60)
    row("ingest, peak RSS", "≤ 1.5 GB", f"{frss / 1024:.2f} GB", frss <= 1536)
    row("re-ingest, unchanged", "≤ 10% of first", f"{im:.2f} s = {im / fm:.1%}", im / fm <= 0.10)
    p = r["parse"]
    row("parse throughput / pulldown-cmark raw", "≥ 0.33", f"{p['ratio']:.2f} ({p['cohort_mb_s']:.0f} / {p['pulldown_mb_s']:.0f} MB/s)",
        p["ratio"] >= 1 / 3)
    s = r["search_inproc"]
    row("search p50", "≤ 5 ms", f"{s['p50_ms']:.2f} ms", s["p50_ms"] <= 5)
    row("search p99", "≤ 50 ms", f"{s['p99_ms']:.2f} ms", s["p99_ms"] <= 50)
    pq = [x for x in r["search_cli"] if x[2]]
    if pq:
        ratio = statistics.median(x[2] / x[1] for x in pq)
        row("search vs `rg -i -c` (CLI, per query, median)", "≥ 20×", f"{ratio:.0f}×", ratio >= 20)
    st = statistics.median(r["stats"])
    row("`stats checklist`", "≤ 200 ms", f"{st * 1000:.0f} ms", st <= 0.2)
    if "dupes" in r:
        dw, drss = r["dupes"]
        dm = statistics.median(dw)
        row("`dupes` wall", "≤ 60 s", f"{dm:.1f} s", dm <= 60)
        row("`dupes` peak RSS", "≤ 1 GB", f"{drss:.0f} MB", drss <= 1024)
        if "dupes_peer" in r:
            pm = statistics.median(r["dupes_peer"][0])
            row("`dupes` vs datasketch peer", "≥ 10×", f"{pm / dm:.1f}×", pm / dm >= 10)
    caveat = [] if r["n"] >= 10000 else [f"The issue sets these targets for 10,000 reports; this run's largest corpus has "
                                         f"{r['n']:,}, where fixed costs (process start) weigh more.", ""]
    return [f"## Targets at {r['n']:,} reports", "", *caveat, "| workload | target | measured | |", "|---|---|---|---|", *rows,
            "", "Where a target is missed, the section **Misses and profiles** below says why and what would close it.", ""]


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

    out += targets(results)

    out += ["## Parse", "",
            "In-process, one thread, files already in memory (`examples/bench_parse`): pulldown-cmark's raw event stream "
            "(`Parser::new_ext(..).into_offset_iter()`, the options cohort uses) beside cohort's whole parse (decoding, "
            "structure, question keys, checklist, facts) of the same bytes. Last column: the `cohort parse DIR --json` "
            "command, whole process (discovery, reading, parsing on both cores, JSON out).", "",
            "| reports | MB | pulldown-cmark raw events | cohort parse (1 thread) | ratio | reports/s (1 thread) | `cohort parse --json` (CLI) |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        p = r["parse"]
        cli = ""
        if "parse_cli" in r:
            m, sp = median_spread(r["parse_cli"])
            cli = f"{m:.2f} s (±{sp:.2f}) = {p['megabytes'] / m:.0f} MB/s"
        out.append(f"| {r['n']:,} | {p['megabytes']:.1f} | {p['pulldown_mb_s']:.0f} MB/s (±{p['pulldown_spread_s']:.3f} s) | "
                   f"{p['cohort_mb_s']:.1f} MB/s (±{p['cohort_spread_s']:.3f} s) | {p['ratio']:.2f} | {p['cohort_reports_s']:.0f} | {cli} |")

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
