#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Figures of the transport against receivers written with and without Qt: for each wire
# format, loki-send's entries/s with default batching (the median of RUNS runs) and the
# mean time per push, then qloki-push-latency's per-push latency by body size. Receivers:
# bench/plain_receiver.py over HTTP and HTTPS, and loki-receiver; plus the plain receiver's
# own capacity (bench/plain_client.py: the most any client can reach against it).
#
#   bench/stall_figures.sh build            # a build with loki-send, loki-receiver and
#                                           # qloki-push-latency: ninja -C build loki-send
#                                           # loki-receiver qloki-push-latency
#   COUNT=100000 RUNS=3 PUSHES=20 bench/stall_figures.sh build
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
count=${COUNT:-100000}
runs=${RUNS:-3}
pushes=${PUSHES:-20}
here=$(cd "$(dirname "$0")" && pwd)
send=$build/app/loki-send/loki-send
latency=$build/bench/pushlatency/qloki-push-latency
receiver=${LOKI_RECEIVER:-$build/app/loki-receiver/loki-receiver}

tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

# Starts a receiver that prints "... http(s)://host:port" on its first line; sets $url.
start() {
    local name=$1
    shift
    "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
    pids+=($!)
    for _ in $(seq 100); do
        url=$(grep -o 'https\?://[0-9.:]*' "$tmp/$name.out" | head -1 || true)
        [ -n "$url" ] && return 0
        sleep 0.1
    done
    echo "$name did not start: $(cat "$tmp/$name.err")" >&2
    exit 1
}

# loki-send against $url: entries/s (median of $runs) and ms per push (of that run).
sends() {
    local label=$1
    shift
    for format in json json-gzip protobuf; do
        for _ in $(seq "$runs"); do
            "$send" --url "$url" --format "$format" --count "$count" -q --stats json "$@" \
                | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["entries_per_s"]), d["batches_delivered"], round(d["elapsed_s"] * 1000 / max(1, d["batches_delivered"]), 2), d["delivered"])'
        done | sort -n | awk -v l="$label" -v f="$format" -v n="$runs" '
            { e[NR] = $1; p[NR] = $2; m[NR] = $3; d[NR] = $4; all = all (NR > 1 ? ", " : "") $1 }
            END { k = int((n + 1) / 2); printf "%-22s %-9s %9d entries/s  %4d pushes  %6.2f ms/push  delivered %d  (runs: %s)\n", l, f, e[k], p[k], m[k], d[k], all }'
    done
}

echo "# $(date -u '+%F %T UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# loki-send --format F --count $count (default batching), median of $runs runs"

start plain python3 "$here/plain_receiver.py" --port 0
plain_url=$url
sends "plain_receiver http"
start plains python3 "$here/plain_receiver.py" --port 0 --cert "$tmp/cert.pem" --key "$tmp/key.pem"
plains_url=$url
sends "plain_receiver https" --ca "$tmp/cert.pem"
start loki "$receiver" --port 0 --counting-only --quiet
loki_url=$url
sends "loki-receiver http"

echo
echo "# plain_receiver.py's own capacity (bench/plain_client.py, one keep-alive connection, 500 entries a push)"
for format in json json-gzip protobuf; do
    python3 "$here/plain_client.py" --url "$plain_url" --format "$format" --seconds 3
done

if [ -x "$latency" ]; then
    echo
    echo "# qloki-push-latency --pushes $pushes: plain_receiver.py over HTTP"
    "$latency" --url "$plain_url" --pushes "$pushes"
    echo "# qloki-push-latency --pushes $pushes: plain_receiver.py over HTTPS"
    "$latency" --url "$plains_url" --insecure --pushes "$pushes"
    echo "# qloki-push-latency --pushes $pushes: loki-receiver"
    "$latency" --url "$loki_url" --pushes "$pushes"
fi
