#!/usr/bin/env bash
# Runs every subcommand of a cohort binary on the demo cohort and (when present) ../shared/corpus, writing one file
# per command (stdout, stderr, exit code) plus the files commands write (figures, pages, exports) into OUTDIR.
# Two runs compare with `diff -r`: before and after a refactor, the outputs should be byte-identical.
#
#   scripts/behaviour.sh path/to/cohort OUTDIR
#
# What differs between runs by nature is normalised here, and only that: the scratch folder's path, durations
# ("0.42 s"), the temporary folder `cohort demo` uses without --keep and scrape's clock. The pseudonym key is fixed
# beforehand.
#
# Searches rank answers of equal score in the order the index holds them, and tantivy's multi-threaded indexing
# does not always store them in the same order: two ingests of the same reports, even by one binary, can list
# tied answers differently. So the commands that read an index can run on indexes saved by an earlier run:
#   KEEP_INDEXES=DIR scripts/behaviour.sh OLD-BINARY OUT1   # saves the indexes it builds in DIR
#   USE_INDEXES=DIR scripts/behaviour.sh NEW-BINARY OUT2    # reads those (its own ingests are still compared)
set -uo pipefail
BIN=$(realpath "$1")
OUT=$(realpath -m "$2")
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
CORPUS=${CORPUS:-$REPO/../shared/corpus}
rm -rf "$OUT"
mkdir -p "$OUT/files"
# A fixed scratch folder: an index lists its reports by absolute path, and a saved index must find them again.
WORK=/tmp/cohort-behaviour-work
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

normalise() {
  sed -E -e "s#$WORK#\$WORK#g" -e "s#$REPO#\$REPO#g" \
    -e 's#/tmp/\.tmp[A-Za-z0-9]+#$TMP#g' \
    -e 's/[0-9]+\.[0-9]+ s\b/X s/g' -e 's/\([0-9]+ s\)/(X s)/g' \
    -e 's/"scraped_at": "[^"]*"/"scraped_at": "X"/'
}

# run NAME ARGS...: one file per command.
run() {
  local name=$1
  shift
  local f="$OUT/$name.txt"
  "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
  local rc=$?
  {
    echo "\$ cohort $*"
    cat "$WORK/stdout"
    echo "--- stderr"
    cat "$WORK/stderr"
    echo "--- exit $rc"
  } | normalise >"$f"
}

# keep NAME FILE: a file a command wrote (text files normalised, others as they are).
keep() {
  local name=$1 file=$2
  if [ ! -e "$file" ]; then
    echo "absent" >"$OUT/files/$name"
  elif [[ "$file" == *.png || "$file" == *.parquet ]]; then
    sha256sum <"$file" >"$OUT/files/$name.sha256"
  else
    normalise <"$file" >"$OUT/files/$name"
  fi
}

# Help and version.
run help --help
run version --version
for c in demo parse ingest search stats plot reports show export run check dupes scrape; do
  run "help-$c" "$c" --help
done
run help-stats-checklist stats checklist --help
run help-stats-facts stats facts --help
run err-no-command
run err-unknown-command frobnicate
run err-no-index-reports reports --index "$WORK/nothing"
run err-no-index-search search x --index "$WORK/nothing"
run err-no-index-stats stats checklist --index "$WORK/nothing"
run err-no-index-plot plot checklist --out x.svg --index "$WORK/nothing"
run err-bad-by stats checklist --by nonsense --index "$WORK/nothing"
run err-bad-plot-kind plot pies --out x.svg
run err-plot-format plot checklist --out x.jpg --index "$WORK/nothing"
run err-json-csv stats facts --json --csv

# The demo, in a temporary folder and kept.
run demo-default demo --reports 30 --seed 5
run demo-keep demo --keep "$WORK/demo"
run demo-again demo --reports 40 --seed 11 --keep "$WORK/demo40"

# dataset NAME REPORTS: every command on one set of reports.
dataset() {
  local n=$1 R=$2
  local I="$WORK/index-$n"
  run "$n-parse" parse "$R"
  run "$n-parse-json" parse "$R" --json
  run "$n-parse-cohort-json" parse "$R" --json --cohort X1
  run "$n-parse-tiny-limit" parse "$R" --max-file-mb 0
  local own="$WORK/own-index-$n"
  run "$n-ingest" ingest "$R" --index "$own"
  run "$n-ingest-again" ingest "$R" --index "$own"
  run "$n-own-reports-json" reports --index "$own" --json
  run "$n-own-stats" stats checklist --by item,cohort --index "$own" --csv
  run "$n-own-export" export --out "$WORK/$n-own-export" --index "$own"
  for f in reports checklist answers; do keep "$n-own-export-$f.csv" "$WORK/$n-own-export/$f.csv"; done
  if [ -n "${USE_INDEXES:-}" ]; then
    cp -r "$USE_INDEXES/index-$n" "$I"
  else
    cp -r "$own" "$I"
  fi
  if [ -n "${KEEP_INDEXES:-}" ]; then
    mkdir -p "$KEEP_INDEXES"
    rm -rf "$KEEP_INDEXES/index-$n"
    cp -r "$I" "$KEEP_INDEXES/index-$n"
  fi
  run "$n-ingest-limit" ingest "$R" --index "$WORK/index-$n-cut" --max-answer-kb 1 --cohort 2030
  run "$n-reports" reports --index "$I"
  run "$n-reports-json" reports --index "$I" --json
  run "$n-reports-cohort" reports --index "$I" --cohort 2025
  run "$n-stats-checklist" stats checklist --index "$I"
  for by in week module cohort item,cohort week,cohort module,cohort; do
    run "$n-stats-checklist-$by" stats checklist --by "$by" --index "$I"
    run "$n-stats-checklist-$by-json" stats checklist --by "$by" --index "$I" --json
    run "$n-stats-checklist-$by-csv" stats checklist --by "$by" --index "$I" --csv
  done
  run "$n-stats-checklist-2026" stats checklist --cohort 2026 --index "$I"
  run "$n-stats-facts" stats facts --index "$I"
  run "$n-stats-facts-json" stats facts --index "$I" --json
  run "$n-stats-facts-csv" stats facts --index "$I" --csv
  run "$n-stats-facts-by-cohort" stats facts --by-cohort --index "$I"
  run "$n-stats-facts-by-cohort-json" stats facts --by-cohort --index "$I" --json
  run "$n-stats-facts-by-cohort-csv" stats facts --by-cohort --cohort 2025 --cohort 2026 --index "$I" --csv
  run "$n-search" search locust --index "$I"
  run "$n-search-json" search locust --index "$I" --json
  run "$n-search-question" search locust --question api_testing --index "$I"
  run "$n-search-phrase" search '"data drift"' --index "$I" --limit 5
  run "$n-search-or" search 'onnx OR bentoml' --index "$I" --limit 100 --json
  run "$n-search-cohort" search docker --cohort 2025 --limit 7 --index "$I"
  run "$n-search-group" search docker --group 3 --index "$I"
  run "$n-search-extra" search course --question extra --index "$I" --json
  run "$n-search-none" search zzyzzyqq --index "$I"
  run "$n-search-bad-question" search x --question nonsense --index "$I"
  # Groups and ids from the index.
  local group id
  group=$("$BIN" reports --index "$I" --json | grep -o '"group":[0-9]*' | head -1 | cut -d: -f2)
  id=$("$BIN" reports --index "$I" --json | tail -1 | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
  run "$n-show-group" show "${group:-1}" --index "$I"
  run "$n-show-id" show "$id" --index "$I"
  run "$n-show-cohort" show "${group:-1}" --cohort 2025 --index "$I"
  run "$n-show-missing" show 99999 --index "$I"
  for kind in checklist heatmap facts weeks modules; do
    for by in cohort none; do
      run "$n-plot-$kind-$by" plot "$kind" --by "$by" --out "$WORK/$n-$kind-$by.svg" --index "$I"
      keep "$n-$kind-$by.svg" "$WORK/$n-$kind-$by.svg"
    done
  done
  run "$n-plot-png" plot checklist --out "$WORK/$n-checklist.png" --size 800x1400 --index "$I"
  keep "$n-checklist.png" "$WORK/$n-checklist.png"
  run "$n-plot-facts-rates" plot facts --usd-per-dkk 0.2 --usd-per-eur 1.5 --cohort 2025 --out "$WORK/$n-facts-rates.svg" --index "$I"
  keep "$n-facts-rates.svg" "$WORK/$n-facts-rates.svg"
  run "$n-plot-no-cohort" plot checklist --cohort 1999 --out "$WORK/x.svg" --index "$I"
  run "$n-plot-no-folder" plot checklist --out "$WORK/missing/x.svg" --index "$I"
  run "$n-export" export --out "$WORK/$n-export" --index "$I"
  for f in reports checklist answers; do keep "$n-export-$f.csv" "$WORK/$n-export/$f.csv"; done
  printf '0123456789abcdef0123456789abcdef' >"$I/pseudonym.key"
  run "$n-export-pseudo" export --out "$WORK/$n-export-p" --pseudonymise --index "$I"
  for f in reports checklist answers; do keep "$n-export-p-$f.csv" "$WORK/$n-export-p/$f.csv"; done
  for q in "$REPO"/queries/*.toml; do
    local qn
    qn=$(basename "$q" .toml)
    run "$n-run-$qn" run "$q" --index "$I" --out "$WORK/$n-run-$qn.svg"
    run "$n-run-$qn-json" run "$q" --index "$I" --json --out "$WORK/$n-run-$qn-json.svg"
    run "$n-run-$qn-csv" run "$q" --index "$I" --csv
    keep "$n-run-$qn.svg" "$WORK/$n-run-$qn.svg"
  done
  (cd "$WORK" && mkdir -p "run-$n" && cd "run-$n" && run "$n-run-plot-default-out" run "$REPO/queries/completion-by-item-plot.toml" --index "$I")
  keep "$n-run-plot-default-out.svg" "$WORK/run-$n/completion-by-item.svg"
  printf 'kind = "search"\n' >"$WORK/bad-query.toml"
  run "$n-run-bad-query" run "$WORK/bad-query.toml" --index "$I"
  printf 'kind = "pie"\n' >"$WORK/bad-kind.toml"
  run "$n-run-bad-kind" run "$WORK/bad-kind.toml" --index "$I"
  run "$n-check" check "$R"
  run "$n-check-json" check "$R" --json
  run "$n-check-list" check "$R" --list
  run "$n-check-index" check --index "$I"
  run "$n-check-group" check "$R" --group "${group:-1}"
  run "$n-check-rules" check "$R" --rule words,images --rule contradiction
  run "$n-check-strict" check "$R" --strict --rule numbers
  run "$n-check-bad-rule" check "$R" --rule nonsense
  run "$n-check-missing-group" check "$R" --group 99999
  run "$n-dupes" dupes "$R"
  run "$n-dupes-json" dupes "$R" --json
  run "$n-dupes-index" dupes --index "$I" --json
  run "$n-dupes-loose" dupes "$R" --min-similarity 0.3 --min-shared-words 10 --common 4 --json
  run "$n-dupes-question" dupes --index "$I" --question struggles --min-similarity 0.2
  run "$n-dupes-html" dupes "$R" --html "$WORK/$n-dupes.html" --min-similarity 0.3
  keep "$n-dupes.html" "$WORK/$n-dupes.html"
  run "$n-dupes-against" dupes "$R" --against "$I" --min-similarity 0.5
  local a b
  a=$("$BIN" dupes --index "$I" --json --min-similarity 0.2 2>/dev/null | head -1 | grep -o '"a":"[^"]*"' | cut -d'"' -f4)
  b=$("$BIN" dupes --index "$I" --json --min-similarity 0.2 2>/dev/null | head -1 | grep -o '"b":"[^"]*"' | cut -d'"' -f4)
  run "$n-dupes-show" dupes --index "$I" --show "${a:-x}" "${b:-y}" --width 100
  run "$n-dupes-show-q" dupes --index "$I" --show "${a:-x}" "${b:-y}" --question struggles --width 90
  run "$n-dupes-show-missing" dupes --index "$I" --show nothing-here "${b:-y}"
  run "$n-dupes-bad" dupes "$R" --min-similarity 2
}

dataset demo "$WORK/demo/reports"
if [ -d "$CORPUS" ]; then
  dataset corpus "$CORPUS"
else
  echo "$CORPUS absent: corpus runs skipped" >"$OUT/corpus-skipped.txt"
fi

# Scrape: a few local repositories made here, committed at fixed dates.
mkdir -p "$WORK/repos"
for g in 1 2 3; do
  r="$WORK/repos/g$g"
  git init -q -b main "$r"
  mkdir -p "$r/reports"
  src=$(ls -d "$WORK"/demo/reports/*/ | sed -n "${g}p")
  cp -r "$src"reports/. "$r/reports/"
  git -C "$r" add -A
  GIT_AUTHOR_DATE=2026-01-20T12:00:00+01:00 GIT_COMMITTER_DATE=2026-01-20T12:00:00+01:00 \
    git -C "$r" -c user.name=t -c user.email=t@example.org commit -q -m report
done
{
  echo "group_nb,student 1,student 2,student 3,student 4,student 5,github_repo"
  echo "1,s250001,s250002,,,,$WORK/repos/g1"
  echo "2,s250003,,,,,$WORK/repos/g2"
  echo "3,s250004,,,,,$WORK/repos/g3"
  echo "4,s250005,,,,,"
  echo "5,s250006,,,,,$WORK/repos/nowhere"
} >"$WORK/group_info.csv"
run scrape scrape "$WORK/group_info.csv" --deadline 2026-01-23T23:59:59+01:00 --out "$WORK/scraped" --jobs 1
run scrape-early scrape "$WORK/group_info.csv" --deadline 2025-01-23T23:59:59+01:00 --out "$WORK/scraped-early" --jobs 1
run scrape-ingest scrape "$WORK/group_info.csv" --deadline 2026-01-23T23:59:59+01:00 --out "$WORK/scraped2" --jobs 1 --ingest --index "$WORK/index-scraped"
run scrape-bad-deadline scrape "$WORK/group_info.csv" --deadline yesterday --out "$WORK/x"
run scraped-reports reports --index "$WORK/index-scraped"
keep scrape-report.json "$WORK/scraped/scrape-report.json"
run ingest-groups ingest "$WORK/scraped" --index "$WORK/index-groups" --groups "$WORK/group_info.csv"
run check-groups check "$WORK/scraped" --groups "$WORK/group_info.csv"
run ingest-bad-groups ingest "$WORK/scraped" --index "$WORK/index-bad" --groups "$WORK/nothing.csv"
echo "behaviour: $(ls "$OUT" | wc -l) command outputs in $OUT"
