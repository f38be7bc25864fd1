#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the .debs on a clean Debian 12: builds them (cpack), bootstraps a minimal
# bookworm into a directory with debootstrap, installs the packages there with apt-get
# (their dependencies come from the mirror), builds a ten-line program with
# find_package(QLoki) + QLoki::QLoki inside, and runs it against loki-receiver from
# qloki-tools on loopback. It passes when the receiver holds every entry the program logged.
#
#   sudo bash scripts/check-deb.sh [--debs DIR] [--root DIR] [--cache DIR] [--keep]
#
#   --debs DIR   install the .debs found in DIR instead of building them
#   --root DIR   bootstrap into DIR (must not exist yet); default: a new directory in /var/tmp
#   --cache DIR  keep the packages debootstrap downloads in DIR, for the next run
#   --keep       leave the root directory in place (it is removed by default)
#
# Needs root, debootstrap and an apt mirror (MIRROR, default http://deb.debian.org/debian);
# takes a few minutes, so it is not part of ctest. BUILD_DIR (default: build-deb) and JOBS
# (default: 2) control the build of the packages.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mirror=${MIRROR:-http://deb.debian.org/debian}
suite=bookworm
build_dir=${BUILD_DIR:-$here/build-deb}
jobs=${JOBS:-2}
debs=
root=
cache=
keep=0
entries=10

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --debs) debs=$(cd "$2" && pwd); shift 2 ;;
    --root) root=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) usage ;;
    esac
done

step() { echo; echo "=== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"

if [ -z "$debs" ]; then
    step "build the packages in $build_dir"
    cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_INSTALL_PREFIX=/usr -DQLOKI_BUILD_TESTS=OFF -DQLOKI_BUILD_EXAMPLES=OFF \
        -DQLOKI_BUILD_BENCH=OFF >/dev/null
    cmake --build "$build_dir" --parallel "$jobs" >/dev/null
    rm -f "$build_dir"/*.deb
    (cd "$build_dir" && cpack >/dev/null)
    debs=$build_dir
fi
mapfile -t packages < <(find "$debs" -maxdepth 1 -name '*.deb' | sort)
[ ${#packages[@]} -gt 0 ] || fail "no .deb in $debs"
for deb in "${packages[@]}"; do
    echo "$(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
done

if [ -z "$root" ]; then
    root=$(mktemp -d /var/tmp/qloki-bookworm.XXXXXX)
    rmdir "$root"
fi
[ -e "$root" ] && fail "$root exists: give a new directory"
receiver_pid=
cleanup() {
    local status=$?
    if [ -n "$receiver_pid" ]; then
        kill "$receiver_pid" 2>/dev/null || true
        wait "$receiver_pid" 2>/dev/null || true
    fi
    if mountpoint -q "$root/proc"; then
        umount "$root/proc"
    fi
    if [ $keep -eq 0 ] && [ -d "$root" ]; then
        rm -rf --one-file-system "$root"
    else
        echo "root directory left in $root"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "debootstrap $suite into $root from $mirror"
cache_args=()
if [ -n "$cache" ]; then
    mkdir -p "$cache"
    cache_args=(--cache-dir="$(cd "$cache" && pwd)")
fi
debootstrap --variant=minbase "${cache_args[@]}" "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
    || { tail -n 20 "$root.debootstrap.log"; fail "debootstrap failed"; }
rm -f "$root.debootstrap.log"
echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"

# Commands in the chroot see nothing of this shell's environment.
in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

step "apt-get install the packages, a compiler, cmake and pkg-config"
mkdir -p "$root/tmp/debs"
cp "${packages[@]}" "$root/tmp/debs/"
in_root apt-get update -qq
(cd "$root/tmp/debs" && printf '%s\n' *.deb)
in_root sh -c 'cd /tmp/debs && apt-get install -y -qq --no-install-recommends ./*.deb g++ cmake make pkg-config' \
    >"$root/tmp/apt.log" 2>&1 || { tail -n 30 "$root/tmp/apt.log"; fail "apt-get install failed"; }
grep -c '^Setting up' "$root/tmp/apt.log" | sed 's/$/ packages set up/'
in_root dpkg-query -W 'libqloki*' 'qloki-*' 'qml6-module-qloki'
echo "pkg-config: qloki $(in_root pkg-config --modversion qloki)"

step "build a consumer with find_package(QLoki)"
mkdir -p "$root/tmp/consumer"
cat >"$root/tmp/consumer/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.22)
project(CheckDeb LANGUAGES CXX)
find_package(QLoki 2.0 REQUIRED)
message(STATUS "QLoki ${QLoki_VERSION} from ${QLoki_DIR}")
add_executable(check-deb main.cpp)
target_link_libraries(check-deb PRIVATE QLoki::QLoki)
EOF
cat >"$root/tmp/consumer/main.cpp" <<EOF
#include <QLoki/Loki>
#include <QtCore/QCoreApplication>
int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    LokiConfig config;
    config.setAppName(QStringLiteral("check-deb")).setUrl(QUrl(app.arguments().value(1)));
    if (argc != 2 || !Loki::init(config)) return 2;
    for (int i = 0; i < $entries; ++i) Loki::info(QStringLiteral("entry %1 from the .deb").arg(i), {{QStringLiteral("label_check"), QStringLiteral("deb")}});
    return Loki::flush() && Loki::instance()->stats().delivered() == $entries ? 0 : 1;
}
EOF
wc -l "$root/tmp/consumer/main.cpp" | sed 's|'"$root"'||'
in_root cmake -S /tmp/consumer -B /tmp/consumer/build -DCMAKE_BUILD_TYPE=Release \
    | grep -i -e qloki -e 'Build files' || true
in_root cmake --build /tmp/consumer/build >"$root/tmp/consumer-build.log" 2>&1 \
    || { cat "$root/tmp/consumer-build.log"; fail "building the consumer failed"; }
echo "built /tmp/consumer/build/check-deb"

step "run it against loki-receiver from qloki-tools"
timeout 300 chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    loki-receiver --port 0 --bind 127.0.0.1 --store /tmp/store.jsonl \
    >"$root/tmp/receiver.out" 2>"$root/tmp/receiver.err" &
receiver_pid=$!
url=
for _ in $(seq 100); do
    url=$(head -n 1 "$root/tmp/receiver.out")
    [ -n "$url" ] && break
    kill -0 "$receiver_pid" 2>/dev/null || { cat "$root/tmp/receiver.err"; fail "loki-receiver exited"; }
    sleep 0.1
done
[ -n "$url" ] || fail "loki-receiver printed no URL within 10 s"
echo "loki-receiver listens at $url"
in_root /tmp/consumer/build/check-deb "$url" || fail "the consumer exited with $?"
received=$(grep -c '"app":"check-deb"' "$root/tmp/store.jsonl" || true)
echo "the receiver holds $received of $entries entries from check-deb:"
grep '"app":"check-deb"' "$root/tmp/store.jsonl" | head -n 2
[ "$received" -eq "$entries" ] || fail "expected $entries entries at the receiver"
echo
echo "PASS: the .debs install on a clean Debian 12 and a find_package(QLoki) program delivers"
