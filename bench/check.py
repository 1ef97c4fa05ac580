#!/usr/bin/env python3
"""Measure every target row of BENCHMARKS.md and print met/missed per row (called by bench/check.sh).

Ratios are taken within this one run (cohort beside pulldown-cmark, beside rg, beside datasketch, measured minutes
apart on the same machine), so a loaded machine moves both sides; the load average is printed with the table.
Prints a Markdown section to stdout (paste it into BENCHMARKS.md); progress goes to stderr.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, SHARED, VENV, queries, timed  # noqa: E402


def log(msg):
    print(f"[check {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def corpus(work, n):
    d = work / f"scale{n}"
    if not (d / "done").exists():
        log(f"generating {n} scaled reports")
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run([sys.executable, SHARED / "bench" / "scale_corpus.py", str(n), d, "--seed", "1"], check=True,
                       stdout=subprocess.DEVNULL)
        (d / "done").write_text("")
    return d


def bench_parse(target, d, runs):
    out = subprocess.run([target / "examples" / "bench_parse", d, str(runs)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def serve(target, index, seconds):
    """bench/serve.sh's output: requests/s, p99 and server CPU per page for search and group pages."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(target.parent), PORT=os.environ.get("PORT", "18931"))
    out = subprocess.run([ROOT / "bench" / "serve.sh", index, str(seconds)], check=True, capture_output=True,
                         text=True, env=env).stdout
    pages, kind = {}, None
    for line in out.splitlines():
        if line.startswith("== "):
            kind = line.split()[1]
            pages[kind] = {}
        elif kind and line.startswith("Requests/sec:"):
            pages[kind]["rate"] = float(line.split()[1])
        elif kind and line.strip().startswith("99%"):
            v = line.split()[1]
            ms = float(v.rstrip("ms").rstrip("u")) if v.endswith("ms") else (
                float(v[:-2]) / 1000 if v.endswith("us") else float(v.rstrip("s")) * 1000)
            pages[kind]["p99_ms"] = ms
        elif kind and line.startswith("server CPU:"):
            pages[kind]["cpu_ms"] = float(line.split("=")[1].split()[0])
    return pages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=Path, required=True, help="the release folder (with cohort and examples/)")
    ap.add_argument("--n", type=int, default=10000, help="reports for the search, ingest, stats, dupes and serve rows")
    ap.add_argument("--parse-n", type=int, default=1000, help="reports for the parse-ratio row")
    ap.add_argument("--peer-n", type=int, default=1000, help="reports the (slow) datasketch peer is timed on")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--terms", type=int, default=20, help="search terms for the CLI-vs-rg row")
    ap.add_argument("--serve-seconds", type=int, default=10)
    ap.add_argument("--skip", default="", help="comma-separated rows to skip: serve,verify,dupes")
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "cohort-bench")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if not (SHARED / "bench").is_dir():
        sys.exit(f"{SHARED / 'bench'} is absent: the benchmarks need ../shared/bench (and ../shared/corpus, repos)")
    args.work.mkdir(parents=True, exist_ok=True)
    cohort = args.target / "cohort"
    big, small = corpus(args.work, args.n), corpus(args.work, args.parse_n)
    rows = []
    loads = [load()]

    def row(what, target, value, ok, note=""):
        verdict = "met" if ok else "**missed**"
        rows.append(f"| {what} | {target} | {value} | {verdict}{' ' + note if note else ''} |")
        print(f"{verdict:>10}  {what}: {value} (target {target})", file=sys.stderr, flush=True)

    log(f"parse ratio at {args.parse_n}")
    p = bench_parse(args.target, small, max(args.runs, 5))
    row(f"parse throughput / pulldown-cmark raw ({args.parse_n:,} reports, `examples/bench_parse`)", "≥ 0.33",
        f"{p['ratio']:.2f} ({p['cohort_mb_s']:.0f} / {p['pulldown_mb_s']:.0f} MB/s)", p["ratio"] >= 0.33)

    log(f"ingest at {args.n}")
    raw = bench_parse(args.target, big, 1)
    mb = raw["megabytes"]
    index = args.work / f"check-index{args.n}"
    first = []
    for _ in range(args.runs if args.runs < 3 else 2):
        shutil.rmtree(index, ignore_errors=True)
        first.append(timed([cohort, "ingest", big, "--index", index]))
    fw = statistics.median(w for w, _ in first)
    frss = max(r for _, r in first)
    need = raw["pulldown_mb_s"] / 15
    row(f"ingest, first ({args.n:,} reports, {mb:.0f} MB) / pulldown-cmark raw in this run", "≥ 1/15",
        f"{fw:.1f} s = {mb / fw:.0f} MB/s = 1/{raw['pulldown_mb_s'] / (mb / fw):.1f} of {raw['pulldown_mb_s']:.0f} MB/s",
        mb / fw >= need)
    row("ingest, peak RSS", "≤ 1 GB", f"{frss:.0f} MB", frss <= 1024)
    again = [timed([cohort, "ingest", big, "--index", index])[0] for _ in range(args.runs)]
    iw = statistics.median(again)
    row("re-ingest, unchanged", "≤ 10% of first", f"{iw:.2f} s = {iw / fw:.1%}", iw / fw <= 0.10)

    log("search")
    s = json.loads(subprocess.run([args.target / "examples" / "bench_search", index, ROOT / "bench" / "queries.txt",
                                   str(args.runs)], check=True, capture_output=True, text=True).stdout)
    row("search p50 (in-process, `examples/bench_search`)", "≤ 5 ms", f"{s['p50_ms']:.2f} ms", s["p50_ms"] <= 5)
    row("search p99 (in-process)", "≤ 50 ms", f"{s['p99_ms']:.2f} ms", s["p99_ms"] <= 50)
    rg = VENV / "rg"
    # Spread over the list (words and phrases), the same terms every run.
    every = queries()
    terms = every[:: max(1, len(every) // args.terms)][: args.terms]
    per = []
    for q in terms:
        c = statistics.median(timed([cohort, "search", q, "--index", index, "--limit", "20"], ok=(0, 1))[0]
                              for _ in range(args.runs))
        r = statistics.median(timed([rg, "-i", "-c", "-F", q.strip('"'), big], ok=(0, 1))[0]
                              for _ in range(args.runs))
        per.append((q, c, r))
    ratio = statistics.median(r / c for _, c, r in per)
    cm = statistics.median(c for _, c, _ in per)
    rm = statistics.median(r for _, _, r in per)
    row(f"CLI search vs `rg -i -c -F` (whole processes, median of {len(per)} terms' ratios)", "≥ 20×",
        f"{ratio:.1f}× (cohort {cm * 1000:.1f} ms, rg {rm * 1000:.0f} ms)", ratio >= 20)

    log("stats")
    st = statistics.median(timed([cohort, "stats", "checklist", "--index", index])[0] for _ in range(max(args.runs, 5)))
    row("`stats checklist` (whole process)", "≤ 200 ms", f"{st * 1000:.0f} ms", st <= 0.2)

    if "dupes" not in skip:
        log("dupes")
        runs = [timed([cohort, "dupes", big, "--json"]) for _ in range(args.runs if args.runs < 3 else 2)]
        dm = statistics.median(w for w, _ in runs)
        drss = max(r for _, r in runs)
        row(f"`dupes` wall ({args.n:,})", "≤ 60 s", f"{dm:.1f} s", dm <= 60)
        row("`dupes` peak RSS", "≤ 1 GB", f"{drss:.0f} MB", drss <= 1024)
        peer_corpus = corpus(args.work, args.peer_n)
        answers = args.work / f"answers{args.peer_n}.jsonl"
        subprocess.run([sys.executable, SHARED / "bench" / "answers_jsonl.py", peer_corpus, answers], check=True,
                       stdout=subprocess.DEVNULL)
        ours = statistics.median(timed([cohort, "dupes", peer_corpus, "--json"])[0] for _ in range(args.runs))
        peer = timed([VENV / "python", SHARED / "bench" / "peer_datasketch.py", answers, "0.3"])[0]
        row(f"`dupes` vs datasketch peer ({args.peer_n:,} reports, 0.3)", "≥ 10×",
            f"{peer / ours:.1f}× ({peer:.1f} s / {ours:.2f} s)", peer / ours >= 10)

    if "serve" not in skip and shutil.which("wrk"):
        log("serve")
        loads.append(load())
        pages = serve(args.target, index, args.serve_seconds)
        sp, gp = pages.get("search", {}), pages.get("group", {})
        note = "(server CPU {:.2f} ms/page = {:.0f}/s per core)"
        row("`serve` search pages (wrk, 8 connections)", "≥ 1,000/s, p99 ≤ 50 ms",
            f"{sp.get('rate', 0):,.0f}/s, p99 {sp.get('p99_ms', 0):.1f} ms "
            + note.format(sp.get("cpu_ms", 0), 1000 / max(sp.get("cpu_ms", 1e-9), 1e-9)),
            sp.get("rate", 0) >= 1000 and sp.get("p99_ms", 1e9) <= 50)
        row("`serve` group pages", "≥ 500/s",
            f"{gp.get('rate', 0):,.0f}/s, p99 {gp.get('p99_ms', 0):.1f} ms "
            + note.format(gp.get("cpu_ms", 0), 1000 / max(gp.get("cpu_ms", 1e-9), 1e-9)),
            gp.get("rate", 0) >= 500)

    repos = SHARED / "repos"
    if "verify" not in skip and repos.is_dir():
        log("verify")
        with tempfile.TemporaryDirectory() as cache:
            cmd = [cohort, "verify", SHARED / "corpus", "--repos", repos, "--cache", cache, "--json"]
            timed(cmd, ok=(0, 1))  # fills the cache (unbundles)
            warm = statistics.median(timed(cmd, ok=(0, 1))[0] for _ in range(max(1, args.runs - 1)))
        row("`verify` of the 130 corpus repositories, warm cache", "< 10 s", f"{warm:.1f} s", warm < 10)

    loads.append(load())
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"`bench/check.sh` at {commit}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} cores; load average (1/5/15 min) {' → '.join(loads)}; "
          f"{args.n:,} reports unless a row says otherwise:")
    print()
    print("| workload | target | measured | |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
