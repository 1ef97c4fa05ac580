#!/usr/bin/env python3
"""Measure `cohort dupes` beside the datasketch peer and write the "## Duplicates" section of BENCHMARKS.md.

    bench/.venv/bin/python bench/dupes.py --target $CARGO_TARGET_DIR/release [--seeds 7,1,2,3] [--scale 10000]

Quality: for each seed, ../shared/bench/plant_dupes.py plants 60 pairs (exact, light, reorder, partial) and 40
decoys (the template's example sentence pasted into answers) in a copy of ../shared/corpus; `cohort dupes DIR
--json` at its default settings and `peer_datasketch.py ANSWERS 0.3` are scored with score_dupes.py. Pairs that
were not planted are listed so they can be looked at.
Speed: a --scale report corpus from scale_corpus.py (seed 1); `cohort dupes DIR --json` (median of --runs) and
the peer once (it takes minutes), wall time and peak RSS from /usr/bin/time.

The section is written to bench/dupes.md (bench/run.py appends it when it rewrites BENCHMARKS.md) and replaced in
BENCHMARKS.md in place.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench"

def timed(cmd, stdout, timeout=None):
    """Wall seconds, peak RSS (MB), CPU seconds (user + system) and the 1-minute load average before the start of
    one command via GNU time, or None when it ran out of time."""
    load = os.getloadavg()[0]
    try:
        out = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", *map(str, cmd)], stdout=stdout,
                             stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {out.stderr[-2000:]}")
    wall, rss, user, system = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, float(user) + float(system), load


def score(truth, pairs):
    out = subprocess.run([sys.executable, BENCH / "score_dupes.py", truth, pairs], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def unplanted(truth, pairs):
    """Reported pairs that were not planted, keyed as score_dupes keys them (number mapped with the 31 set)."""
    want = {(frozenset((t["a"], t["b"])), t["question_number"]) for t in map(json.loads, open(truth))}
    rows = [json.loads(l) for l in open(pairs) if l.strip()]
    return [r for r in rows if (frozenset((r["a"], r["b"])), r["question_number"]) not in want]


def quality(args, seed, work):
    out = work / f"planted{seed}"
    subprocess.run([sys.executable, BENCH / "plant_dupes.py", SHARED / "corpus", out, "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    truth = Path(str(out) + ".truth.jsonl")
    mine = work / f"cohort{seed}.jsonl"
    with open(mine, "w") as f:
        subprocess.run([args.target / "cohort", "dupes", out, "--json"], check=True, stdout=f, stderr=subprocess.DEVNULL)
    answers = work / f"answers{seed}.jsonl"
    subprocess.run([sys.executable, BENCH / "answers_jsonl.py", out, answers], check=True, stdout=subprocess.DEVNULL)
    peer = work / f"peer{seed}.jsonl"
    with open(peer, "w") as f:
        subprocess.run([args.python, BENCH / "peer_datasketch.py", answers, "0.3"], check=True, stdout=f)
    # The decoy: with common-text masking switched off (--common above the number of reports), the pairs that were
    # not planted on the decoy's question (packages), where the template sentence was pasted.
    loose = work / f"cohort{seed}-nomask.jsonl"
    with open(loose, "w") as f:
        subprocess.run([args.target / "cohort", "dupes", out, "--json", "--common", "1000"], check=True, stdout=f,
                       stderr=subprocess.DEVNULL)
    sys.path.insert(0, str(BENCH))
    import plant_dupes  # the decoy sentence and where answers sit, as the planting script has them

    def decoy_in(rid):
        text = (out / rid / "README.md").read_text(encoding="utf-8", errors="replace")
        return any(n == 3 and plant_dupes.DECOY in text[s:e] for n, s, e in plant_dupes.answers(text))

    on_decoy_question = [r for r in unplanted(truth, loose) if r["question"] == "packages"]
    decoy_pairs = (len(on_decoy_question), sum(1 for r in on_decoy_question if decoy_in(r["a"]) and decoy_in(r["b"])))
    missed = [t for t in map(json.loads, open(truth))
              if (frozenset((t["a"], t["b"])), t["question_number"]) not in
              {(frozenset((r["a"], r["b"])), r["question_number"]) for r in map(json.loads, open(mine))}]
    return {"seed": seed, "cohort": score(truth, mine), "peer": score(truth, peer),
            "unplanted": unplanted(truth, mine), "peer_unplanted": len(unplanted(truth, peer)),
            "decoy_pairs_unmasked": decoy_pairs, "missed": missed}


def real_corpus(args):
    """The unplanted corpus at the defaults, and with looser settings and the blank templates as --base."""
    cmd = [args.target / "cohort", "dupes", SHARED / "corpus", "--json"]
    default = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
    templates = sorted((SHARED / "templates").glob("*.md"))
    loose = subprocess.run(cmd + ["--min-similarity", "0.15", "--min-passage", "12", "--common", "10", "--base", *templates],
                           check=True, capture_output=True, text=True).stdout.splitlines()
    return {"default": [json.loads(l) for l in default], "loose": [json.loads(l) for l in loose]}


def speed(args, work):
    corpus = work / f"scale{args.scale}"
    if not (corpus / "done").exists():
        subprocess.run([sys.executable, BENCH / "scale_corpus.py", str(args.scale), corpus, "--seed", "1"], check=True,
                       stdout=subprocess.DEVNULL)
        (corpus / "done").write_text("")
    runs = [timed([args.target / "cohort", "dupes", corpus, "--json"], subprocess.DEVNULL) for _ in range(args.runs)]
    # From an index: the answers are read from the Parquet frame, as the peer reads them from answers_jsonl.py's file.
    index = work / f"index-scale{args.scale}"
    if not (index / "CURRENT").exists():
        subprocess.run([args.target / "cohort", "ingest", corpus, "--index", index], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from_index = [timed([args.target / "cohort", "dupes", "--index", index, "--json"], subprocess.DEVNULL)
                  for _ in range(args.runs)]
    answers = work / f"answers-scale{args.scale}.jsonl"
    subprocess.run([sys.executable, BENCH / "answers_jsonl.py", corpus, answers], check=True, stdout=subprocess.DEVNULL)
    peer = timed([args.python, BENCH / "peer_datasketch.py", answers, "0.3"], subprocess.DEVNULL,
                 timeout=args.peer_timeout)
    n_answers = sum(1 for _ in open(answers))
    return {"reports": args.scale, "answers": n_answers, "cohort": runs, "index": from_index, "peer": peer}


def kinds(s):
    return " · ".join(f"{k} {v}" for k, v in s["by_kind"].items())


def section(args, results, real, sp):
    lines = ["## Duplicates", "",
             f"Produced by `bench/dupes.py --seeds {','.join(map(str, args.seeds))} --scale {args.scale} --runs "
             f"{args.runs}` on {time.strftime('%Y-%m-%d')} (release build; machine as above). cohort runs at its default settings (`cohort dupes DIR --json`); the "
             "peer is `../shared/bench/peer_datasketch.py ANSWERS 0.3` (datasketch MinHash LSH, 128 permutations, "
             "word 5-shingles) on `answers_jsonl.py DIR`. Both are scored with `score_dupes.py TRUTH PAIRS`.", "",
             "Each corpus: `plant_dupes.py ../shared/corpus OUT --seed S` (130 real reports, 60 planted pairs: 15 "
             "each exact, light = 10% words replaced, reorder = sentences shuffled + 5% replaced, partial = half of "
             "the source's sentences inside the other answer; 40 decoys = the template's example sentence pasted "
             "into answers).", "",
             "| seed | cohort recall | cohort precision | cohort by kind | peer recall | peer precision | peer by kind |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        c, p = r["cohort"], r["peer"]
        lines.append(f"| {r['seed']} | {c['recall']:.3f} | {c['precision_vs_planted']:.3f} ({c['reported']} reported) | "
                     f"{kinds(c)} | {p['recall']:.3f} | {p['precision_vs_planted']:.3f} ({p['reported']} reported) | "
                     f"{kinds(p)} |")
    rec = statistics.mean(r["cohort"]["recall"] for r in results)
    prec = statistics.mean(r["cohort"]["precision_vs_planted"] for r in results)
    prec_rec = statistics.mean(r["peer"]["recall"] for r in results)
    prec_prec = statistics.mean(r["peer"]["precision_vs_planted"] for r in results)
    lines += [f"| mean | {rec:.3f} | {prec:.3f} | | {prec_rec:.3f} | {prec_prec:.3f} | |", ""]
    un = [(r["seed"], u) for r in results for u in r["unplanted"]]
    if un:
        lines += ["Pairs cohort reported that were not planted (look at them with `cohort dupes DIR --show A B "
                  "--question KEY`):", ""]
        lines += [f"- seed {s}: {u['a']} ~ {u['b']} ({u['key']}, containment {u['containment']}, "
                  f"{u['shared_words']} shared words)" for s, u in un]
    else:
        lines += ["cohort reported no pair that was not planted, so none rests on the decoy sentence alone."]
    missed = [(r["seed"], m) for r in results for m in r["missed"]]
    if missed:
        lines += ["", "Planted pairs cohort missed:", ""]
        lines += [f"- seed {s}: {m['a']} ~ {m['b']} (question {m['question_number']}, {m['kind']})" for s, m in missed]
    lines += ["",
              "The decoy: with common-text masking switched off (`--common 1000`), cohort reports "
              + ", ".join(f"{r['decoy_pairs_unmasked'][0]}" for r in results)
              + " unplanted pairs (per seed) on the decoy's question (packages), of which "
              + ", ".join(f"{r['decoy_pairs_unmasked'][1]}" for r in results)
              + " are between two answers holding the pasted sentence; at the default `--common 5` it reports none "
              "there.", ""]
    lines += [f"The corpus without planted pairs (`cohort dupes ../shared/corpus`): {len(real['default'])} pairs at the "
              "defaults. With looser settings and the blank templates as base text (`--min-similarity 0.15 "
              "--min-passage 12 --common 10 --base ../shared/templates/*.md`), the closest pairs, for a look:", ""]
    lines += [f"- {r['a']} ~ {r['b']} ({r['key']}, containment {r['containment']}, {r['shared_words']} shared words, "
              f"longest passage {r['longest']})" for r in real["loose"][:8]]
    lines += [""]
    if sp:
        med = statistics.median(r[0] for r in sp["cohort"])
        rss = max(r[1] for r in sp["cohort"])
        cpu = statistics.median(r[2] for r in sp["cohort"])
        lines += [f"Speed, {sp['reports']:,} reports ({sp['answers']:,} answers as `answers_jsonl.py` extracts them) "
                  "from `scale_corpus.py "
                  f"{sp['reports']} DIR --seed 1`, `/usr/bin/time` (CPU = user + system; load = the machine's 1-minute "
                  "load average when the run started: other people's builds share these 2 cores, and cohort's two "
                  "threads lose most when they do):", "",
                  "| | wall | CPU | peak RSS | load at start |", "|---|---|---|---|---|",
                  f"| `cohort dupes DIR --json` (median of {len(sp['cohort'])}: "
                  f"{', '.join(f'{r[0]:.1f}' for r in sp['cohort'])} s) | {med:.1f} s | {cpu:.1f} s | {rss:.0f} MB | "
                  f"{', '.join(f'{r[3]:.1f}' for r in sp['cohort'])} |"]
        imed = statistics.median(r[0] for r in sp["index"])
        lines += [f"| `cohort dupes --index IDX --json` (answers from an index; median of {len(sp['index'])}: "
                  f"{', '.join(f'{r[0]:.1f}' for r in sp['index'])} s) | {imed:.1f} s | "
                  f"{statistics.median(r[2] for r in sp['index']):.1f} s | {max(r[1] for r in sp['index']):.0f} MB | "
                  f"{', '.join(f'{r[3]:.1f}' for r in sp['index'])} |"]
        if sp["peer"]:
            pw, prss, pcpu, pload = sp["peer"]
            lines += [f"| `peer_datasketch.py ANSWERS 0.3` (1 run) | {pw:.1f} s | {pcpu:.1f} s | {prss:.0f} MB | "
                      f"{pload:.1f} |", "",
                      f"On the report folder cohort is {pw / med:.1f}× faster than the peer in wall time "
                      f"({pcpu / cpu:.1f}× less CPU), parsing the reports itself (about three quarters of its CPU), "
                      "where the peer reads answers `answers_jsonl.py` extracted beforehand; from an index, which "
                      f"holds the answers already, it is {pw / imed:.1f}× faster."]
        else:
            lines += [f"| `peer_datasketch.py ANSWERS 0.3` | did not finish in {args.peer_timeout} s | – | – | – |"]
    return "\n".join(lines) + "\n"


def splice(md, sec):
    """Replaces the "## Duplicates" section (up to the next "## ") or inserts it before "## Check" / at the end."""
    pattern = re.compile(r"^## Duplicates\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(md):
        return pattern.sub(lambda _: sec + "\n", md, count=1)
    anchor = md.find("\n## Check")
    if anchor >= 0:
        return md[:anchor + 1] + sec + "\n" + md[anchor + 1:]
    return md.rstrip("\n") + "\n\n" + sec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=Path, required=True, help="folder with the release cohort binary")
    ap.add_argument("--python", type=Path, default=ROOT / "bench" / ".venv" / "bin" / "python",
                    help="a Python with datasketch installed")
    ap.add_argument("--seeds", default="7,1,2,3")
    ap.add_argument("--scale", type=int, default=10000, help="reports in the speed corpus (0: skip)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-timeout", type=int, default=1800)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "cohort-bench-dupes")
    args = ap.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",")]
    if not BENCH.is_dir():
        sys.exit(f"{BENCH} is absent: the benchmark needs ../shared/bench and ../shared/corpus")
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for s in args.seeds:
        print(f"quality, seed {s}", file=sys.stderr)
        results.append(quality(args, s, args.work))
    real = real_corpus(args)
    sp = None
    if args.scale:
        print(f"speed, {args.scale} reports", file=sys.stderr)
        sp = speed(args, args.work)
    (args.work / "dupes-results.json").write_text(json.dumps({"quality": results, "real": real, "speed": sp}, indent=1))
    sec = section(args, results, real, sp)
    (ROOT / "bench" / "dupes.md").write_text(sec)
    bench_md = ROOT / "BENCHMARKS.md"
    old = bench_md.read_text() if bench_md.exists() else "# Benchmarks\n"
    bench_md.write_text(splice(old, sec))
    print(sec)


if __name__ == "__main__":
    main()
