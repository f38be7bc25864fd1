#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The capacity of a push receiver on its own: one keep-alive connection posting the same
body again and again, with as little client work as Python allows (the bodies are made
once). What it reaches is the most any client can reach against that receiver.

    python3 bench/plain_receiver.py --port 3101 &
    python3 bench/plain_client.py --url http://127.0.0.1:3101 --format json

Bodies are like loki-send's: batches of --entries "synthetic entry <i>" lines in one stream.
protobuf needs libsnappy (through ctypes).
"""

import argparse
import ctypes
import ctypes.util
import gzip
import http.client
import json
import ssl
import time
import urllib.parse

LABELS = '{app="loki-send", environment="production", level="info"}'


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def protobuf_body(entries, now_ns):
    lib = ctypes.CDLL(ctypes.util.find_library("snappy") or "libsnappy.so.1")
    stream = field(1, LABELS.encode())
    for i in range(entries):
        ts = now_ns + i
        stamp = varint(1 << 3) + varint(ts // 10**9) + varint(2 << 3) + varint(ts % 10**9)
        stream += field(2, field(1, stamp) + field(2, b"synthetic entry %d" % (i + 1)))
    raw = field(1, stream)
    size = ctypes.c_size_t(lib.snappy_max_compressed_length(ctypes.c_size_t(len(raw))))
    out = ctypes.create_string_buffer(size.value)
    if lib.snappy_compress(raw, ctypes.c_size_t(len(raw)), out, ctypes.byref(size)) != 0:
        raise RuntimeError("snappy_compress failed")
    return out.raw[:size.value]


def json_body(entries, now_ns):
    values = [[str(now_ns + i), "synthetic entry %d" % (i + 1)] for i in range(entries)]
    doc = {"streams": [{"stream": {"app": "loki-send", "environment": "production",
                                   "level": "info"}, "values": values}]}
    return json.dumps(doc, separators=(",", ":")).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="receiver base URL")
    parser.add_argument("--format", choices=["json", "json-gzip", "protobuf"], default="json")
    parser.add_argument("--entries", type=int, default=500, help="entries per push (500)")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    now_ns = time.time_ns()
    headers = {"Content-Type": "application/json"}
    if args.format == "protobuf":
        body = protobuf_body(args.entries, now_ns)
        headers["Content-Type"] = "application/x-protobuf"
    else:
        body = json_body(args.entries, now_ns)
        if args.format == "json-gzip":
            body = gzip.compress(body, 1)
            headers["Content-Encoding"] = "gzip"
    url = urllib.parse.urlsplit(args.url)
    if url.scheme == "https":
        connection = http.client.HTTPSConnection(
            url.hostname, url.port, context=ssl._create_unverified_context())
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port)
    pushes = 0
    start = time.perf_counter()
    cpu = time.process_time()
    while time.perf_counter() - start < args.seconds:
        connection.request("POST", "/loki/api/v1/push", body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        if answer.status // 100 != 2:
            raise SystemExit("HTTP %d" % answer.status)
        pushes += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"format": args.format, "body_bytes": len(body), "pushes": pushes,
                      "ms_per_push": round(elapsed / pushes * 1000, 3),
                      "entries_per_s": round(pushes * args.entries / elapsed),
                      "client_cpu_s": round(cpu, 3)}))


if __name__ == "__main__":
    main()
