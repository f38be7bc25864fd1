#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configures tests/consumer/embed with QLoki through add_subdirectory() and through
# FetchContent (each checks that QLoki::QLoki exists and nothing but the library comes
# with it), then builds the FetchContent one and runs it against a loki-receiver on
# loopback. FetchContent_MakeAvailable() adds the same source the same way, so one build
# covers both; only the library is built (no receiver, no QML), without optimization and
# on two jobs, to keep the test short.
#   run-embed-test.sh <loki-receiver> <cmake> [<generator>] [<c++ compiler>]
set -euo pipefail

receiver=$1
cmake=$2
generator=${3:-}
compiler=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/qloki-embed.XXXXXX")
receiver_pid=
cleanup() {
    local status=$?
    if [ -n "$receiver_pid" ]; then
        kill "$receiver_pid" 2>/dev/null || true
        wait "$receiver_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

timeout 600 "$receiver" --port 0 --bind 127.0.0.1 >"$work/receiver.out" 2>"$work/receiver.err" &
receiver_pid=$!
url=
for _ in $(seq 100); do
    url=$(head -n 1 "$work/receiver.out")
    [ -n "$url" ] && break
    kill -0 "$receiver_pid" 2>/dev/null || { cat "$work/receiver.err"; fail "loki-receiver exited"; }
    sleep 0.1
done
[ -n "$url" ] || fail "loki-receiver printed no URL within 10 s"

generator_args=()
[ -n "$generator" ] && generator_args=(-G "$generator")
compiler_args=()
[ -n "$compiler" ] && compiler_args=("-DCMAKE_CXX_COMPILER=$compiler")
for how in add_subdirectory FetchContent; do
    echo "--- $how"
    build=$work/$how
    "$cmake" -S "$here/embed" -B "$build" "${generator_args[@]}" "${compiler_args[@]}" \
        -DQLOKI_EMBED="$how" -DQLOKI_SOURCE_DIR="$source_dir" -DCMAKE_BUILD_TYPE= \
        -DQLOKI_BUILD_RECEIVER=OFF -DQLOKI_BUILD_QML=OFF -DFETCHCONTENT_QUIET=ON \
        >"$build.configure.log" 2>&1 \
        || { cat "$build.configure.log"; fail "$how: configuring failed"; }
    grep 'QLoki::QLoki through' "$build.configure.log"
done
echo "--- build and run the FetchContent consumer"
build=$work/FetchContent
"$cmake" --build "$build" --target consumer --parallel 2 >"$build.build.log" 2>&1 \
    || { cat "$build.build.log"; fail "FetchContent: building failed"; }
"$build/consumer" "$url" || fail "FetchContent: the consumer exited with $?"
echo "PASS"
