#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A Loki push receiver written without Qt: Python's http.server, HTTP/1.1 keep-alive.

It reads each request the way a typical server does (the head line by line, then the
body by Content-Length), decodes and parses every body (JSON, JSON + gzip, protobuf +
snappy, with the standard library only), counts the entries and answers 204. Its
socket keeps the kernel's defaults (Nagle on, delayed acknowledgements), as Loki's and
most servers' do.

    python3 bench/plain_receiver.py --port 3101
    loki-send --url http://127.0.0.1:3101 --format json --count 100000

snappy is decoded by libsnappy through ctypes where it is installed, else in Python.
--cert and --key serve HTTPS.

It also stands in for an OpenTelemetry Collector's OTLP/HTTP receiver: POST /v1/logs (and
Loki 3's /otlp/v1/logs) takes an ExportLogsServiceRequest in protobuf or OTLP JSON, optionally
gzip, counts its log records and answers 200 with an ExportLogsServiceResponse in the
request's encoding; --otlp-reject N refuses one record in every N through its partial_success.

GET /receiver/stats answers the counts as JSON; POST /receiver/reset zeroes them. On
SIGINT or SIGTERM the counts are printed on stderr. --no-parse skips decoding (to
measure the server's own capacity).
"""

import argparse
import ctypes
import ctypes.util
import gzip
import json
import signal
import ssl
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PUSH_PATH = "/loki/api/v1/push"
OTLP_PATHS = ("/v1/logs", "/otlp/v1/logs")


# --- snappy block format (https://github.com/google/snappy/blob/main/format_description.txt)

def _varint(data, pos):
    result = 0
    shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _load_libsnappy():
    """The C library's snappy_uncompress() when libsnappy is installed (QLoki links it)."""
    name = ctypes.util.find_library("snappy")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
        lib.snappy_uncompressed_length.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
        lib.snappy_uncompress.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t)]
        return lib
    except (OSError, AttributeError):
        return None


LIBSNAPPY = _load_libsnappy()


def snappy_decompress(data):
    """Decodes one snappy block (not the framing format), as Loki's protobuf push uses."""
    if LIBSNAPPY is None:
        return snappy_decompress_python(data)
    length = ctypes.c_size_t()
    if LIBSNAPPY.snappy_uncompressed_length(data, len(data), ctypes.byref(length)) != 0:
        raise ValueError("not a snappy block")
    out = ctypes.create_string_buffer(length.value)
    if LIBSNAPPY.snappy_uncompress(data, len(data), out, ctypes.byref(length)) != 0:
        raise ValueError("corrupt snappy block")
    return out.raw[:length.value]


def snappy_decompress_python(data):
    """The same in Python, where libsnappy is absent."""
    expected, pos = _varint(data, 0)
    out = bytearray()
    end = len(data)
    while pos < end:
        tag = data[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                length = int.from_bytes(data[pos:pos + extra], "little")
                pos += extra
            length += 1
            if pos + length > end:
                raise ValueError("snappy literal past the end")
            out += data[pos:pos + length]
            pos += length
            continue
        if kind == 1:
            length = 4 + ((tag >> 2) & 7)
            offset = ((tag >> 5) << 8) | data[pos]
            pos += 1
        elif kind == 2:
            length = 1 + (tag >> 2)
            offset = data[pos] | (data[pos + 1] << 8)
            pos += 2
        else:
            length = 1 + (tag >> 2)
            offset = int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
        if offset == 0 or offset > len(out):
            raise ValueError("snappy copy before the start")
        start = len(out) - offset
        if offset >= length:
            out += out[start:start + length]
        else:  # the copy overlaps what it writes: repeat the pattern
            pattern = bytes(out[start:])
            repeats = length // offset + 1
            out += (pattern * repeats)[:length]
    if len(out) != expected:
        raise ValueError("snappy length %d, header said %d" % (len(out), expected))
    return bytes(out)


# --- logproto.PushRequest, read by field number

def _skip_field(data, pos, wire):
    if wire == 0:
        return _varint(data, pos)[1]
    if wire == 2:
        length, pos = _varint(data, pos)
        return pos + length
    if wire == 1:
        return pos + 8
    if wire == 5:
        return pos + 4
    raise ValueError("protobuf wire type %d" % wire)


def count_protobuf(data):
    """Entries of a PushRequest. Walks every stream, entry, timestamp and metadata pair, and
    checks that each label string, line, name and value is UTF-8. One flat loop per level:
    this is the receiver's hot path, in a language where each call costs."""
    entries = 0
    texts = []
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = _varint(data, pos)
        if key != 0x0A:  # PushRequest.streams = 1
            pos = _skip_field(data, pos, key & 7)
            continue
        length, pos = _varint(data, pos)
        stream_end = pos + length
        while pos < stream_end:
            key, pos = _varint(data, pos)
            if key & 7 != 2:
                pos = _skip_field(data, pos, key & 7)
                continue
            length, pos = _varint(data, pos)
            field_end = pos + length
            if key == 0x0A:  # StreamAdapter.labels = 1
                texts.append(data[pos:field_end])
            elif key == 0x12:  # StreamAdapter.entries = 2
                while pos < field_end:
                    # Single-byte varints inline: a call per field would cost more than the field.
                    key = data[pos]
                    length = data[pos + 1]
                    if key < 0x80 and length < 0x80:
                        pos += 2
                    else:
                        key, pos = _varint(data, pos)
                        if key & 7 != 2:
                            pos = _skip_field(data, pos, key & 7)
                            continue
                        length, pos = _varint(data, pos)
                    if key & 7 != 2:
                        raise ValueError("protobuf entry field of wire type %d" % (key & 7))
                    value_end = pos + length
                    if key == 0x0A:  # EntryAdapter.timestamp = 1: seconds, nanos (varints)
                        while pos < value_end:
                            if data[pos] not in (0x08, 0x10):
                                raise ValueError("protobuf timestamp field %d" % data[pos])
                            pos += 1
                            while data[pos] & 0x80:
                                pos += 1
                            pos += 1
                    elif key == 0x12:  # EntryAdapter.line = 2
                        texts.append(data[pos:value_end])
                    elif key == 0x1A:  # EntryAdapter.structuredMetadata = 3: name, value
                        while pos < value_end:
                            key, pos = _varint(data, pos)
                            length, pos = _varint(data, pos)
                            texts.append(data[pos:pos + length])
                            pos += length
                    pos = value_end
                    if pos > field_end:
                        raise ValueError("protobuf entry past its end")
                entries += 1
            pos = field_end
            if pos > stream_end:
                raise ValueError("protobuf field past its stream")
    if pos != end:
        raise ValueError("protobuf message past the end")
    b"\0".join(texts).decode("utf-8")
    return entries


# --- OTLP: ExportLogsServiceRequest, read by field number

def _fields(data, pos, end):
    """(field number, wire type, value start, value end) of each field in data[pos:end]."""
    while pos < end:
        key, pos = _varint(data, pos)
        wire = key & 7
        if wire == 2:
            length, pos = _varint(data, pos)
            yield key >> 3, wire, pos, pos + length
            pos += length
        else:
            start = pos
            pos = _skip_field(data, pos, wire)
            yield key >> 3, wire, start, pos
    if pos != end:
        raise ValueError("protobuf field past its message")


def count_otlp_protobuf(data):
    """Log records of an ExportLogsServiceRequest; checks every body string is UTF-8 and
    every trace and span id is 16 and 8 bytes."""
    records = 0
    for field, wire, start, end in _fields(data, 0, len(data)):
        if field != 1 or wire != 2:  # resource_logs = 1
            continue
        for field, wire, start, end in _fields(data, start, end):
            if field != 2 or wire != 2:  # ResourceLogs.scope_logs = 2
                continue
            for field, wire, start, end in _fields(data, start, end):
                if field != 2 or wire != 2:  # ScopeLogs.log_records = 2
                    continue
                for field, wire, rstart, rend in _fields(data, start, end):
                    if field == 5:  # body: AnyValue
                        for f, w, bstart, bend in _fields(data, rstart, rend):
                            if f == 1:
                                data[bstart:bend].decode("utf-8")
                    elif field in (9, 10) and rend - rstart != (16 if field == 9 else 8):
                        raise ValueError("OTLP id of %d bytes" % (rend - rstart))
                records += 1
    return records


def count_otlp_json(body):
    doc = json.loads(body)
    records = 0
    for resource_logs in doc.get("resourceLogs", []):
        for scope_logs in resource_logs.get("scopeLogs", []):
            for record in scope_logs.get("logRecords", []):
                if not str(record.get("timeUnixNano", "0")).isdigit():
                    raise ValueError("timeUnixNano is not an integer")
                for key, size in (("traceId", 32), ("spanId", 16)):
                    if key in record:
                        int(record[key], 16)
                        if len(record[key]) != size:
                            raise ValueError("%s of %d digits" % (key, len(record[key])))
                records += 1
    return records


def otlp_response(json_body, rejected, message):
    """ExportLogsServiceResponse: partial_success = 1 {rejected_log_records = 1,
    error_message = 2}; empty when nothing was rejected."""
    if json_body:
        if not rejected:
            return b"{}"
        return json.dumps({"partialSuccess": {"rejectedLogRecords": str(rejected),
                                              "errorMessage": message}}).encode()
    if not rejected:
        return b""

    def varint(value):
        out = bytearray()
        while value >= 0x80:
            out.append(value & 0x7F | 0x80)
            value >>= 7
        out.append(value)
        return bytes(out)
    text = message.encode()
    partial = b"\x08" + varint(rejected) + b"\x12" + varint(len(text)) + text
    return b"\x0a" + varint(len(partial)) + partial


def count_json(body):
    doc = json.loads(body)
    entries = 0
    for stream in doc["streams"]:
        if not isinstance(stream.get("stream"), dict):
            raise ValueError("stream without labels")
        for value in stream["values"]:
            if len(value) < 2 or not value[0].isdigit():
                raise ValueError("bad entry")
            entries += 1
    return entries


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.pushes = 0
        self.entries = 0
        self.rejected = 0
        self.bytes = 0
        self.errors = 0
        self.handling_seconds = 0.0
        self.last_error = ""

    def as_dict(self):
        with self.lock:
            return {"pushes": self.pushes, "entries": self.entries, "rejected": self.rejected,
                    "bytes": self.bytes,
                    "errors": self.errors, "handling_seconds": round(self.handling_seconds, 6),
                    "last_error": self.last_error}


STATS = Stats()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Loki
    server_version = "plain-receiver/1"
    parse = True
    otlp_reject = 0

    def log_message(self, format, *args):  # no line per request
        pass

    def _answer(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 204:
            self.wfile.write(body)

    def do_GET(self):
        if self.path == "/receiver/stats":
            self._answer(200, json.dumps(STATS.as_dict()).encode(), "application/json")
        elif self.path == "/ready":
            self._answer(200, b"ready\n")
        else:
            self._answer(404, b"not found\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/receiver/reset":
            with STATS.lock:
                STATS.reset()
            self._answer(204)
            return
        if self.path in OTLP_PATHS:
            self._otlp(body)
            return
        if self.path != PUSH_PATH:
            self._answer(404, b"not found\n")
            return
        started = time.perf_counter()
        try:
            entries = self._count(body) if self.parse else 0
        except Exception as error:  # a bad body is the client's error: say which
            with STATS.lock:
                STATS.errors += 1
                STATS.last_error = str(error)
            self._answer(400, ("bad push body: %s\n" % error).encode())
            return
        with STATS.lock:
            STATS.pushes += 1
            STATS.entries += entries
            STATS.bytes += len(body)
            STATS.handling_seconds += time.perf_counter() - started
        self._answer(204)

    def _otlp(self, body):
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        json_body = kind == "application/json"
        content_type = "application/json" if json_body else "application/x-protobuf"
        if kind not in ("application/json", "application/x-protobuf"):
            self._answer(415, b"unsupported content type\n")
            return
        try:
            if self.headers.get("Content-Encoding", "").strip().lower() == "gzip":
                body = gzip.decompress(body)
            records = count_otlp_json(body) if json_body else count_otlp_protobuf(body)
        except Exception as error:
            with STATS.lock:
                STATS.errors += 1
                STATS.last_error = str(error)
            message = "bad OTLP body: %s" % error
            payload = (json.dumps({"code": 3, "message": message}).encode() if json_body
                       else b"\x12" + bytes([len(message[:127])]) + message[:127].encode())
            self._answer(400, payload, content_type)
            return
        rejected = records // self.otlp_reject if self.otlp_reject else 0
        with STATS.lock:
            STATS.pushes += 1
            STATS.entries += records - rejected
            STATS.rejected += rejected
            STATS.bytes += len(body)
        self._answer(200, otlp_response(json_body, rejected, "rejected by plain_receiver"),
                     content_type)

    def _count(self, body):
        encoding = self.headers.get("Content-Encoding", "").strip().lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding not in ("", "identity"):
            raise ValueError("unknown Content-Encoding %s" % encoding)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind == "application/x-protobuf":
            return count_protobuf(snappy_decompress(body))
        return count_json(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3101, help="0 picks a free port")
    parser.add_argument("--cert", help="PEM certificate: serve HTTPS (with --key)")
    parser.add_argument("--key", help="PEM private key of --cert")
    parser.add_argument("--no-parse", action="store_true",
                        help="read bodies without decoding them (the server's own capacity)")
    parser.add_argument("--otlp-reject", type=int, default=0, metavar="N",
                        help="refuse one OTLP log record in every N (partial_success)")
    args = parser.parse_args()
    Handler.parse = not args.no_parse
    Handler.otlp_reject = args.otlp_reject
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    server.daemon_threads = True
    scheme = "http"
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    print("Listening on %s://%s:%d" % ((scheme,) + server.server_address[:2]), flush=True)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    print(json.dumps(STATS.as_dict()), file=sys.stderr)


if __name__ == "__main__":
    main()
