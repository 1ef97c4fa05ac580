#!/usr/bin/env bash
# Benchmarks cohort against its peers at 1k and 10k reports and writes BENCHMARKS.md.
#   bench/run.sh [--sizes 1000,10000] [--runs 3]
# Installs what it needs (datasketch, ripgrep) into bench/.venv; needs ../shared/bench and ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/cohort-target}
cargo build --release --bins --examples --quiet
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install --quiet datasketch ripgrep
exec bench/.venv/bin/python bench/run.py --target "$CARGO_TARGET_DIR/release" "$@"
