#!/usr/bin/env bash
# Seeds fuzz/corpus/parse with synthetic reports (all three template years, with their formatting quirks) from
# the generator, through `cohort demo --keep`, so nothing is committed and no real report is used.
# Usage: fuzz/seed-corpus.sh [COHORT_BINARY]   (default: the release binary of the shared target dir)
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/cohort-target}/release/cohort}
[ -x "$bin" ] || { echo "no cohort binary at $bin: run 'cargo build --release' in the crate first, or pass its path"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --reports 16 --seed 8 --keep "$work" > /dev/null
mkdir -p corpus/parse
n=0
for f in "$work"/reports/*/reports/README.md; do
  cp "$f" "corpus/parse/seed-$n.md"
  n=$((n + 1))
done
echo "wrote $n seeds to $(pwd)/corpus/parse"
