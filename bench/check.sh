#!/usr/bin/env bash
# Measures every target row of BENCHMARKS.md and prints met/missed per row, with the date and the load average:
# run it before closing an issue that touches a path on those rows, and paste its table into BENCHMARKS.md (the
# README's figures come from it).
#   bench/check.sh [--n 10000] [--parse-n 1000] [--runs 3] [--skip serve,verify,dupes]
# Builds the release binary and examples; installs datasketch and ripgrep into bench/.venv; the serve rows need wrk
# (`apt-get install wrk`), the verify row ../shared/repos. About 5 minutes at 10,000 reports on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/cohort-target}
cargo build --release --locked --bin cohort --example bench_parse --example bench_search --quiet
if [ ! -x bench/.venv/bin/rg ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet datasketch ripgrep
fi
exec python3 bench/check.py --target "$CARGO_TARGET_DIR/release" "$@"
