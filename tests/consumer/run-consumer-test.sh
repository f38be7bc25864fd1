#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The packaging test: install a QLoki build into a fresh prefix, build tests/consumer/project
# against that prefix only, and check that the program delivers to the installed
# loki-receiver (on loopback, a free port).
#   run-consumer-test.sh <build-dir> <cmake> [<generator>] [<c++ compiler>]
set -euo pipefail

build_dir=$1
cmake=$2
generator=${3:-}
compiler=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/qloki-consumer.XXXXXX")
prefix=$work/prefix
receiver_pid=

cleanup() {
    local status=$?
    if [ -n "$receiver_pid" ]; then
        kill "$receiver_pid" 2>/dev/null || true
        wait "$receiver_pid" 2>/dev/null || true
    fi
    if [ $status -ne 0 ] && [ -s "$work/receiver.err" ]; then
        echo "--- loki-receiver stderr"
        cat "$work/receiver.err"
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

echo "--- install into $prefix"
"$cmake" --install "$build_dir" --prefix "$prefix" >"$work/install.log" \
    || { cat "$work/install.log"; fail "cmake --install failed"; }

# Every public header of the source tree is installed, under the same name.
for dir in QLoki QLokiReceiver; do
    case $dir in
    QLoki) src=$source_dir/lib/include/QLoki ;;
    QLokiReceiver) src=$source_dir/lib/receiver/include/QLokiReceiver ;;
    esac
    for header in "$src"/*; do
        [ -f "$prefix/include/$dir/$(basename "$header")" ] \
            || fail "public header $dir/$(basename "$header") is not installed"
    done
done
[ -f "$prefix/include/QLoki/qloki_export.h" ] || fail "qloki_export.h is not installed"
[ -f "$prefix/include/QLoki/qlokiversion.h" ] || fail "qlokiversion.h is not installed"

# The exported targets point into the prefix only, and a shared QLoki keeps its private
# dependencies (zlib, snappy, Qt Network) off its consumers' link line.
targets=$(find "$prefix" -name QLokiTargets.cmake)
[ -n "$targets" ] || fail "QLokiTargets.cmake is not installed"
targets_dir=$(dirname "$targets")
if grep -F -e "$source_dir" -e "$build_dir" "$targets_dir"/QLokiTargets*.cmake; then
    fail "the exported targets name the source or build tree"
fi
if grep -q 'qloki_core\|qloki_internal' "$targets_dir"/QLokiTargets*.cmake; then
    fail "an internal target leaked into the export set"
fi
if grep -q 'add_library(QLoki::QLoki SHARED' "$targets"; then
    link=$(sed -n '/set_target_properties(QLoki::QLoki /,/^)/p' "$targets" \
        | grep INTERFACE_LINK_LIBRARIES || true)
    case $link in
    *ZLIB* | *snappy* | *Network*) fail "private dependencies leak to consumers: $link" ;;
    esac
fi

# A build configured for the prefix /usr (as for the .debs) installs its programs without
# a RUNPATH, since the loader searches /usr/lib anyway; in the temporary prefix they need
# to be shown the libraries.
libdir=$(dirname "$(find "$prefix" -name 'libqloki.so*' -print -quit)")
if command -v readelf >/dev/null && ! readelf -d "$prefix/bin/loki-receiver" | grep -q 'R.*PATH'; then
    export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

echo "--- configure and build the consumer against $prefix only"
generator_args=()
[ -n "$generator" ] && generator_args=(-G "$generator")
compiler_args=()
[ -n "$compiler" ] && compiler_args=("-DCMAKE_CXX_COMPILER=$compiler")
"$cmake" -S "$here/project" -B "$work/consumer-build" "${generator_args[@]}" "${compiler_args[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    >"$work/consumer-configure.log" 2>&1 \
    || { cat "$work/consumer-configure.log"; fail "configuring the consumer failed"; }
grep 'QLoki .* from' "$work/consumer-configure.log"
case $(grep 'QLoki .* from' "$work/consumer-configure.log") in
*"$prefix"*) ;;
*) fail "the consumer did not find QLoki in $prefix" ;;
esac
"$cmake" --build "$work/consumer-build" >"$work/consumer-build.log" 2>&1 \
    || { cat "$work/consumer-build.log"; fail "building the consumer failed"; }

echo "--- start $prefix/bin/loki-receiver"
# timeout(1) ends the receiver even if this script is killed without a chance to clean up
# (a ctest timeout); it passes the trap's SIGTERM on to it.
timeout 600 "$prefix/bin/loki-receiver" --port 0 --bind 127.0.0.1 --store "$work/store.jsonl" \
    >"$work/receiver.out" 2>"$work/receiver.err" &
receiver_pid=$!
url=
for _ in $(seq 100); do
    url=$(head -n 1 "$work/receiver.out")
    [ -n "$url" ] && break
    kill -0 "$receiver_pid" 2>/dev/null || fail "loki-receiver exited before listening"
    sleep 0.1
done
[ -n "$url" ] || fail "loki-receiver printed no URL within 10 s"
case $url in
http://127.0.0.1:*) echo "receiver at $url" ;;
*) fail "loki-receiver listens on '$url', not on loopback" ;;
esac

echo "--- run the consumer"
"$work/consumer-build/consumer" "$url" || fail "the consumer exited with $?"

# pkg-config users: build the same program with nothing but qloki.pc.
if command -v pkg-config >/dev/null; then
    echo "--- build and run the consumer with pkg-config"
    pc=$(find "$prefix" -name qloki.pc)
    [ -n "$pc" ] || fail "qloki.pc is not installed"
    PKG_CONFIG_PATH=$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
    export PKG_CONFIG_PATH
    case $(pkg-config --variable=includedir qloki) in
    "$(dirname "$pc")"/*) ;;
    *) fail "qloki.pc does not point into the prefix it is installed in" ;;
    esac
    static=()
    [ -e "$(pkg-config --variable=libdir qloki)/libqloki.a" ] && static=(--static)
    # Qt wants position-independent code in applications (-fPIC, not -fPIE).
    # shellcheck disable=SC2046
    "${compiler:-c++}" -std=c++17 -fPIC "$here/project/main.cpp" -o "$work/consumer-pc" \
        $(pkg-config "${static[@]}" --cflags --libs qloki) -Wl,-rpath,"$(pkg-config --variable=libdir qloki)" \
        >"$work/consumer-pc.log" 2>&1 \
        || { cat "$work/consumer-pc.log"; fail "building the consumer with pkg-config failed"; }
    "$work/consumer-pc" "$url" || fail "the pkg-config consumer exited with $?"
fi

echo "--- query the receiver"
if command -v curl >/dev/null; then
    answer=$(curl -sS --max-time 10 -G "$url/loki/api/v1/query_range" \
        --data-urlencode 'query={app="consumer"}')
else
    answer=$(cat "$work/store.jsonl")
fi
echo "$answer"
case $answer in
*'hello from an installed QLoki'*) ;;
*) fail "the receiver has no entry from the consumer" ;;
esac
case $answer in
*'"component":"packaging"'*) ;;
*) fail "the entry lost its label_component field" ;;
esac
echo "PASS"
