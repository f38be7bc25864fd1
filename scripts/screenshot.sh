#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes docs/console.png with the Loki Console as built (this script builds nothing):
# the console sends a small burst to its built-in receiver, waits until every entry is
# delivered, saves its window and quits.
#   bash scripts/screenshot.sh [FILE.png]      default: docs/console.png
# BUILD_DIR (default: build) picks the build tree; SCREENSHOT_LANG=zh_CN shows the
# Simplified Chinese translation (needs a CJK font such as fonts-noto-cjk).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
console=$build_dir/app/console/qloki-console
out=${1:-$here/docs/console.png}

if [ ! -x "$console" ]; then
    echo "screenshot: $console is not built; build first (bash scripts/bootstrap.sh test)" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
args=(--screenshot "$out")
[ -n "${SCREENSHOT_LANG:-}" ] && args+=(--lang "$SCREENSHOT_LANG")

# A virtual X display when there is one to have, else Qt's offscreen platform: the
# console grabs its own window either way, so no window manager is needed.
if command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a -s "-screen 0 1280x900x24" "$console" "${args[@]}"
else
    QT_QPA_PLATFORM=offscreen "$console" "${args[@]}"
fi
echo "screenshot: wrote $out"
