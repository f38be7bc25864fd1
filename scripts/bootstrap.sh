#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets up a fresh Debian 12 machine for QLoki and builds it.
#   bash scripts/bootstrap.sh run    install what is missing, build, start the console
#   bash scripts/bootstrap.sh test   install what is missing, build, run every test
# Run as root, or as a user with sudo. BUILD_DIR (default: build) picks the build tree.
set -euo pipefail

mode=${1:-test}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
jobs=${JOBS:-$(nproc)}

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev
    qt6-declarative-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libqt6opengl6-dev libgl-dev libvulkan-dev
    libsnappy-dev zlib1g-dev libre2-dev
    protobuf-compiler curl xvfb xauth openssl libspdlog-dev fonts-noto-cjk doxygen dpkg-dev
    clang-14 libclang-rt-14-dev
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
    qml6-module-qtquick-window qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript
    abi-dumper abi-compliance-checker universal-ctags vtable-dumper elfutils binutils
)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "bootstrap: installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# configure_and_build <build dir> [cmake options...]
configure_and_build() {
    local dir=$1
    shift
    cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
    cmake --build "$dir" --parallel "$jobs"
}

install_missing
case "$mode" in
run)
    configure_and_build "$build_dir"
    shift || true
    if [ -x "$build_dir/app/console/qloki-console" ]; then
        # Without a display (a server, a container, CI) the console runs in a virtual one.
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
            exec xvfb-run -a "$build_dir/app/console/qloki-console" "$@"
        fi
        exec "$build_dir/app/console/qloki-console" "$@"
    fi
    # Until the console lands, the main program is the receiver on port 3100.
    exec "$build_dir/app/loki-receiver/loki-receiver" --port 3100 "$@"
    ;;
test)
    configure_and_build "$build_dir" -DQLOKI_WARNINGS_AS_ERRORS=ON
    (cd "$build_dir" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 300 -j "$jobs")
    # QLOKI_SANITIZERS=0 skips the two sanitizer builds (for a quick local run).
    if [ "${QLOKI_SANITIZERS:-1}" != 0 ]; then
        sanitizers=$here/tests/sanitizers
        # AddressSanitizer + UndefinedBehaviorSanitizer: the whole suite. The packaging test
        # is left out: it builds an uninstrumented program against the installed library,
        # which ASan refuses to load (its runtime must come first).
        configure_and_build "${build_dir}-asan" -DQLOKI_WARNINGS_AS_ERRORS=ON \
            -DQLOKI_SANITIZE=address,undefined -DQLOKI_BUILD_BENCH=OFF
        (cd "${build_dir}-asan" \
            && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
               LSAN_OPTIONS=suppressions=$sanitizers/lsan.supp:print_suppressions=0 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
               QT_QPA_PLATFORM=offscreen \
               ctest --output-on-failure --timeout 600 -j "$jobs" -LE packaging)
        # ThreadSanitizer: every test that the library and the receiver build (the tools and
        # the GUI are left out of this build). Qt itself is not instrumented: tsanqt.cpp and
        # tsan.supp say which of its hand-overs TSan cannot see.
        configure_and_build "${build_dir}-tsan" -DQLOKI_WARNINGS_AS_ERRORS=ON \
            -DQLOKI_SANITIZE=thread -DQLOKI_BUILD_APPS=OFF -DQLOKI_BUILD_EXAMPLES=OFF \
            -DQLOKI_BUILD_BENCH=OFF -DQLOKI_BUILD_QML=OFF
        (cd "${build_dir}-tsan" \
            && TSAN_OPTIONS=suppressions=$sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1:die_after_fork=0 \
               QT_QPA_PLATFORM=offscreen \
               ctest --output-on-failure --timeout 600 -j "$jobs")
        # libFuzzer under ASan + UBSan (tests/fuzz, clang): every harness replays its seed
        # corpus, then fuzzes for QLOKI_FUZZ_SECONDS (30 by default); a crash, a sanitizer
        # report or a failed invariant fails the run. QLOKI_FUZZ=0 skips this build.
        if [ "${QLOKI_FUZZ:-1}" != 0 ]; then
            configure_and_build "${build_dir}-fuzz" -DQLOKI_WARNINGS_AS_ERRORS=ON \
                -DCMAKE_CXX_COMPILER=clang++-14 -DQLOKI_FUZZ=ON \
                -DQLOKI_FUZZ_SECONDS="${QLOKI_FUZZ_SECONDS:-30}" -DQLOKI_BUILD_TESTS=OFF \
                -DQLOKI_BUILD_APPS=OFF -DQLOKI_BUILD_EXAMPLES=OFF -DQLOKI_BUILD_BENCH=OFF \
                -DQLOKI_BUILD_QML=OFF -DQLOKI_INSTALL=OFF
            (cd "${build_dir}-fuzz" && ctest --output-on-failure -j "$jobs" -L fuzz)
        fi
    fi
    ;;
*)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
