#!/bin/sh
# Regenerates the figures the README shows, from the synthetic demo cohort (generated, so no personal data):
#   docs/make-plots.sh
# The demo cohort is seeded, so the same code draws the same figures.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cohort() { cargo run --release --quiet -- "$@"; }
cohort demo --keep "$work" > /dev/null
cohort plot checklist --index "$work/index" --out docs/plot-checklist.png
cohort plot heatmap --index "$work/index" --out docs/plot-heatmap.png
