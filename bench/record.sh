#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Records the qloki-bench run whose figures the README shows. Run it on an otherwise idle
# machine, from a clean tree (the run names its commit):
#   bash bench/record.sh [qloki-bench options, e.g. --repeat 5]
# Builds qloki-bench and loki-receiver in Release (BUILD_DIR, default build-bench), runs
# every scenario into bench/results/<UTC date>-<commit>.json, removes the run before it
# (the README's figures come from one file) and rewrites the tables of README.md and
# bench/RESULTS.md from the new file. Nothing is written when a scenario lost or miscounted
# an entry (qloki-bench exits 1).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build-bench}
cd "$here"

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "record.sh: the tree has changes; commit or stash them first (the run names its commit)" >&2
    exit 1
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQLOKI_WARNINGS_AS_ERRORS=ON
ninja -C "$build_dir" qloki-bench loki-receiver

name=$(date -u +%Y-%m-%d-%H%M)-$(git rev-parse --short=7 HEAD)
mkdir -p bench/results
tmp=$(mktemp --suffix=.json)
trap 'rm -f "$tmp"' EXIT
"$build_dir/bench/qloki-bench" --json "$tmp" "$@"

rm -f bench/results/*.json
cp "$tmp" "bench/results/$name.json"
python3 bench/readme_figures.py --update "bench/results/$name.json"
echo "record.sh: bench/results/$name.json; commit it with README.md and bench/RESULTS.md"
