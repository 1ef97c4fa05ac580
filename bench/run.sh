#!/usr/bin/env bash
# Benchmarks cohort against its peers at 1k and 10k reports and writes BENCHMARKS.md.
#   bench/run.sh [--sizes 1000,10000] [--runs 3]
# Installs what it needs (datasketch, ripgrep) into bench/.venv; needs ../shared/bench and ../shared/corpus.
# About 10 minutes on 2 cores; not part of the tests or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/cohort-target}
cargo build --release --bins --examples --quiet
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install --quiet datasketch ripgrep
# Duplicate-finding quality beside the peer on planted copies (bench/dupes.md); speed at each size is run.py's.
bench/.venv/bin/python bench/dupes.py --target "$CARGO_TARGET_DIR/release" --scale 0
exec bench/.venv/bin/python bench/run.py --target "$CARGO_TARGET_DIR/release" "$@"
