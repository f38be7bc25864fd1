#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the README's benchmark figures from the committed qloki-bench results file.

    python3 bench/readme_figures.py bench/results/<name>.json          # the README's table
    python3 bench/readme_figures.py --all bench/results/<name>.json    # every figure
    python3 bench/readme_figures.py --update bench/results/<name>.json # rewrite both files
    python3 bench/readme_figures.py --check                            # they agree (ctest)

Every value is the figure's median over the runs qloki-bench made, and every "met" is
decided from that median: the README's numbers come from the committed run and nothing
else. --update rewrites the block between the qloki-bench markers in README.md (the table)
and in bench/RESULTS.md (every figure), each opening with a line that names the run.
--check fails when bench/results holds other than one results file, when that file's
verdicts do not follow from the medians of its runs, or when either block differs from what
--update would write.
"""

import argparse
import glob
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
README = os.path.join(ROOT, "README.md")
RESULTS_MD = os.path.join(HERE, "RESULTS.md")
RESULTS_DIR = os.path.join(HERE, "results")
BEGIN = "<!-- qloki-bench figures: begin (written by bench/readme_figures.py --update) -->"
END = "<!-- qloki-bench figures: end -->"

CALL = ("`Loki::info(\"user login ok\", {{\"label_component\", \"auth\"}, "
        "{\"label_action\", \"login\"}, {\"user_id\", i}, {\"amount\", 100.5}})`")


def threads(key):
    """The figure \a key ("…_{t}") on 1, 2 and 4 threads."""
    return [(key.format(t="1t"), "1 thread"), (key.format(t="2t"), "2 threads"),
            (key.format(t="4t"), "4 threads")]


# The README's rows: a label, the figures shown (key, what it is called in the target column)
# and how their values are written.
ROWS = [
    (f"caller, the README's call with fresh arguments, {CALL}, median ns, 1 / 2 / 4 threads",
     threads("caller_readme_qloki_median_ns_{t}"), "ns"),
    ("spdlog's async logger (null sink) formatting the same four values, same loop, median ns, "
     "1 / 2 / 4 threads",
     threads("caller_readme_spdlog_median_ns_{t}"), "ns"),
    ("ratio QLoki / spdlog, the README's call, 1 / 2 / 4 threads",
     threads("caller_readme_ratio_{t}"), "ratio"),
    ("p99 per call, QLoki / spdlog, 1 thread",
     [("caller_readme_qloki_p99_ns_1t", "QLoki"), ("caller_readme_spdlog_p99_ns_1t", "spdlog")],
     "ns"),
    ("p99 per call, QLoki / spdlog, 4 threads",
     [("caller_readme_qloki_p99_ns_4t", "QLoki"), ("caller_readme_spdlog_p99_ns_4t", "spdlog")],
     "ns"),
    ("ratio QLoki / spdlog, the same call in the member form (`logger.info(\"…\", {…})`), "
     "1 / 2 / 4 threads",
     threads("caller_member_ratio_{t}"), "ratio"),
    ("caller, the same fields in a `QVariantMap` built per call / a prebuilt line and map "
     "reused, median ns, 1 thread",
     [("caller_map_qloki_median_ns_1t", "map"), ("caller_reused_qloki_median_ns_1t", "reused")],
     "ns"),
    ("qDebug() through the hook / a handler that discards, median ns",
     [("qdebug_hook_median_ns", "hook"), ("qdebug_discard_median_ns", "discard")], "ns"),
    ("throughput protobuf + snappy, default configuration, entries/s until acknowledged",
     [("throughput_eps_protobuf", "protobuf")], "eps"),
    ("throughput JSON / JSON + gzip, entries/s",
     [("throughput_eps_json", "JSON"), ("throughput_eps_json_gzip", "JSON + gzip")], "eps"),
    ("client CPU per delivered entry, protobuf / JSON / JSON + gzip, µs (the whole process: "
     "the logging thread, the sender, Qt's network thread)",
     [("client_cpu_us_per_entry_protobuf", "protobuf"), ("client_cpu_us_per_entry_json", "JSON"),
      ("client_cpu_us_per_entry_json_gzip", "JSON + gzip")], "us"),
    ("  of which the logging thread / the sender / Qt's network thread, protobuf, µs",
     [("logging_thread_cpu_us_per_entry_protobuf", "logging thread"),
      ("sender_thread_cpu_us_per_entry_protobuf", "sender"),
      ("network_thread_cpu_us_per_entry_protobuf", "network thread")], "us"),
    ("  times those three threads slept (and were woken) a push of 500 entries, protobuf",
     [("client_sleeps_per_push_protobuf", "sleeps")], "tenths"),
    ("wire bytes per entry, request lines (~25 random characters each): JSON / JSON + gzip / "
     "protobuf + snappy",
     [("wire_bytes_request_json", "JSON"), ("wire_bytes_request_json_gzip", "gzip"),
      ("wire_bytes_request_protobuf", "protobuf")], "bytes"),
    ("protobuf + snappy as % of JSON, request lines / application messages",
     [("wire_protobuf_share_of_json_request", "request lines"),
      ("wire_protobuf_share_of_json_messages", "messages")], "percent"),
    ("memory per entry held during an outage, beyond the line's UTF-8: peak / settled, bytes",
     [("outage_peak_beyond_line", "peak"), ("outage_settled_beyond_line", "settled")], "bytes"),
    ("  the same against what the queue says it holds (`LokiStats::bytesHeld()`, per entry): "
     "held / RSS beyond it, settled, bytes",
     [("outage_bytes_held_settled_per_entry", "held"),
      ("outage_settled_beyond_held", "beyond")], "bytes"),
    ("lines of 1 MB during an outage, default configuration: peak RSS growth, MiB",
     [("outage_large_peak_mib", "peak")], "mib"),
    ("  peak RSS growth per buffered byte / against `bufferMaxBytes` (16 MiB)",
     [("outage_large_peak_per_held_byte", "per byte"),
      ("outage_large_peak_per_bound", "of the bound")], "ratio"),
    ("CPU at 1,000 entries/s, gross (process CPU / wall, the event loop handling the logger's "
     "signals), % of a core",
     [("cpu_percent_at_1000_eps", "gross")], "percent2"),
    ("  of which the application's 10 ms timer alone",
     [("cpu_percent_pacing_only", "timer")], "percent2"),
    ("idle: wake-ups in 3 flush intervals (15 s) after the last delivery, the sender thread / "
     "all threads",
     [("idle_sender_wakeups", "sender"), ("idle_wakeups", "all")], "count"),
    ("disk spool append / replay, Flush durability, entries/s",
     [("spool_append_eps_flush", "append"), ("spool_replay_eps_flush", "replay")], "eps"),
]

OPS = {"<": "<", "<=": "≤", ">=": "≥"}


def value_text(value, style):
    if style == "ns":
        return f"{value:,.0f}"
    if style == "ratio":
        return f"{value:.2f}"
    if style == "eps":
        return f"{round(value, -3):,.0f}"
    if style == "us":
        return f"{value:.2f}"
    if style == "bytes":
        return f"{value:.0f}"
    if style in ("percent", "percent2"):
        return f"{value:.1f}%" if style == "percent" else f"{value:.2f}%"
    if style == "mib":
        return f"{value:.1f}"
    if style == "count":
        return f"{value:.0f}"
    if style == "tenths":
        return f"{value:.1f}"
    return f"{value:g}"


def target_text(figure, style):
    target = figure.get("target")
    if not target:
        return None
    threshold = target["value"]
    if style == "ns":
        shown = f"{threshold / 1000:g} µs" if threshold >= 1000 else f"{threshold:g} ns"
    elif style == "eps":
        shown = f"{threshold:,.0f}"
    elif style in ("percent", "percent2"):
        shown = f"{threshold:g}%"
    elif style == "us":
        shown = f"{threshold:g} µs"
    else:
        shown = f"{threshold:g}"
    return f"{OPS[target['op']]} {shown}"


def row_cells(figures, keys, style):
    found = [(figures.get(key), name) for key, name in keys]
    values = " / ".join(value_text(f["value"], style) if f else "–" for f, _ in found)
    targeted = [(f, name) for f, name in found if f and f.get("target")]
    if not targeted:
        return values, ""
    texts = {target_text(f, style) for f, _ in targeted}
    if len(targeted) == 1 or len(texts) > 1:
        parts = [f"{target_text(f, style)} ({name}): {'met' if f['met'] else 'missed'}"
                 if len(targeted) > 1 else f"{target_text(f, style)}, {'met' if f['met'] else 'missed'}"
                 for f, name in targeted]
        return values, "; ".join(parts)
    met = [name for f, name in targeted if f["met"]]
    missed = [name for f, name in targeted if not f["met"]]
    text = texts.pop()
    if not missed:
        return values, f"{text}, met"
    if not met:
        return values, f"{text}, missed"
    return values, f"{text}: met at {', '.join(met)}; missed at {', '.join(missed)}"


def plain(value):
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 0.1 or value == 0 else f"{value:.3f}"


def relative(path):
    return os.path.relpath(os.path.abspath(path), ROOT)


def run_line(path, data):
    run = data["run"]
    before = run.get("load_average_before", [None])[0]
    after = run.get("load_average_after", [None])[0]
    commit = run.get("commit", "")[:7] or "unknown"
    kind = "a short run (--quick), not for quoting" if run.get("quick") else "a full run"
    return (f"Run `{relative(path)}`: {run.get('date_utc')}, commit {commit}"
            f"{' with changes' if run.get('commit_dirty') else ''}, {kind}, "
            f"{run.get('machine_cpu')}, {run.get('nproc')} CPUs, Qt {run.get('qt')}, spdlog "
            f"{run.get('spdlog')}, {run.get('build_type', '?')} build, clock "
            f"{run.get('clock', '?')} (resolution {run.get('clock_resolution_ns', 0):.1f} ns); "
            f"load average {before} before the run and {after} after; {run.get('repeat')} "
            f"run(s) of each scenario (wire bytes and the spool once), every figure the median "
            f"of its runs and \"met\" decided by that median.")


def table(path, data):
    figures = {f["key"]: f for f in data["figures"]}
    lines = [run_line(path, data), "", "| figure | value | target |", "|---|---|---|"]
    for label, keys, style in ROWS:
        if not any(key in figures for key, _ in keys):
            continue
        values, target = row_cells(figures, keys, style)
        lines.append(f"| {label} | {values} | {target} |")
    return lines


def table_all(path, data):
    lines = [run_line(path, data), "",
             "| scenario | figure | value | runs | target | met |", "|---|---|---|---|---|---|"]
    for f in data["figures"]:
        unit = f" {f['unit']}" if f["unit"] and f["unit"] not in ("%",) else f["unit"]
        runs = ", ".join(plain(r) for r in f["runs"]) if len(f["runs"]) > 1 else ""
        target = ""
        if f.get("target"):
            target = f"{OPS[f['target']['op']]} {plain(f['target']['value'])}"
        met = "" if f.get("met") is None else ("met" if f["met"] else "missed")
        lines.append(f"| {f['section']} | {f['label'].strip()} | {plain(f['value'])}{unit} | "
                     f"{runs} | {target} | {met} |")
    return lines


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def verdict_errors(data):
    errors = []
    for f in data["figures"]:
        if not f["runs"] or not math.isclose(f["value"], median(f["runs"]), rel_tol=1e-9,
                                             abs_tol=1e-9):
            errors.append(f"{f['key']}: value {f['value']} is not the median of its runs")
        target = f.get("target")
        if target:
            v, t = f["value"], target["value"]
            met = {"<": v < t, "<=": v <= t, ">=": v >= t}[target["op"]]
            if f.get("met") != met:
                errors.append(f"{f['key']}: met is {f.get('met')}, the median says {met}")
        elif f.get("met") is not None:
            errors.append(f"{f['key']}: a verdict without a target")
    return errors


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != 2:
        sys.exit(f"{path}: not a qloki-bench results file of format 2")
    return data


def replaced(text, lines, name):
    begin = text.find(BEGIN)
    end = text.find(END)
    if begin < 0 or end < begin:
        sys.exit(f"{name}: no qloki-bench figures markers")
    return text[:begin + len(BEGIN)] + "\n" + "\n".join(lines) + "\n" + text[end:]


def committed_file():
    files = sorted(glob.glob(os.path.join(RESULTS_DIR, "*.json")))
    if len(files) != 1:
        sys.exit(f"bench/results holds {len(files)} results files; the README's figures come "
                 "from exactly one")
    return files[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", help="a JSON file written by qloki-bench --json "
                        "(default: the one file in bench/results)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--all", action="store_true",
                      help="every figure of the run with its runs (bench/RESULTS.md's table)")
    mode.add_argument("--update", action="store_true",
                      help="rewrite the figures in README.md and bench/RESULTS.md")
    mode.add_argument("--check", action="store_true",
                      help="fail unless README.md and bench/RESULTS.md show the committed run")
    args = parser.parse_args()
    path = args.results or committed_file()
    data = load(path)

    if args.update or args.check:
        errors = verdict_errors(data)
        outputs = {README: table(path, data), RESULTS_MD: table_all(path, data)}
        for name, lines in outputs.items():
            with open(name, encoding="utf-8") as f:
                text = f.read()
            new = replaced(text, lines, relative(name))
            if args.update and new != text:
                with open(name, "w", encoding="utf-8") as f:
                    f.write(new)
            elif args.check and new != text:
                errors.append(f"{relative(name)} does not show {relative(path)}: run "
                              f"python3 bench/readme_figures.py --update {relative(path)}")
        for e in errors:
            print(e, file=sys.stderr)
        if errors:
            sys.exit(1)
        print(f"{'updated from' if args.update else 'README.md and bench/RESULTS.md show'} "
              f"{relative(path)}")
        return
    print("\n".join(table_all(path, data) if args.all else table(path, data)))


if __name__ == "__main__":
    main()
