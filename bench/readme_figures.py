#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the README's benchmark table from a qloki-bench results file.

    python3 bench/readme_figures.py bench/results/<date>-<commit>.json
    python3 bench/readme_figures.py --all bench/results/<date>-<commit>.json   # every figure

Every value is the figure's median over the run's runs, as qloki-bench wrote it, and every
"met" is the one qloki-bench decided from that median: the README's numbers come from the
committed run and nothing else. The first line names the run (date, commit, machine, load).
"""

import argparse
import json
import sys

# The README's rows: a label, the figures shown (key, what it is called in the target column)
# and how their values are written.
ROWS = [
    ("caller, the README's call with fresh arguments, `Loki::info(\"…\", {{\"label_component\", "
     "\"auth\"}, {\"label_action\", \"login\"}, {\"user_id\", i}, {\"amount\", 100.5}})`, "
     "median ns, 1 / 2 / 4 threads",
     [("caller_readme_qloki_median_ns_1t", "1t"), ("caller_readme_qloki_median_ns_2t", "2t"),
      ("caller_readme_qloki_median_ns_4t", "4t")], "ns"),
    ("spdlog's async logger (null sink) formatting the same four values, same loop, median ns, "
     "1 / 2 / 4 threads",
     [("caller_readme_spdlog_median_ns_1t", "1t"), ("caller_readme_spdlog_median_ns_2t", "2t"),
      ("caller_readme_spdlog_median_ns_4t", "4t")], "ns"),
    ("ratio QLoki / spdlog, 1 / 2 / 4 threads",
     [("caller_readme_ratio_1t", "1 thread"), ("caller_readme_ratio_2t", "2 threads"),
      ("caller_readme_ratio_4t", "4 threads")], "ratio"),
    ("p99 per call, QLoki / spdlog, 1 thread",
     [("caller_readme_qloki_p99_ns_1t", "QLoki"), ("caller_readme_spdlog_p99_ns_1t", "spdlog")],
     "ns"),
    ("p99 per call, QLoki / spdlog, 4 threads",
     [("caller_readme_qloki_p99_ns_4t", "QLoki"), ("caller_readme_spdlog_p99_ns_4t", "spdlog")],
     "ns"),
    ("caller, the same fields in a `QVariantMap` built per call / a prebuilt map reused, median "
     "ns, 1 thread (spdlog: formatting / a prebuilt line)",
     [("caller_map_qloki_median_ns_1t", "map"), ("caller_reused_qloki_median_ns_1t", "reused")],
     "ns"),
    ("qDebug() through the hook / a handler that discards, median ns",
     [("qdebug_hook_median_ns", "hook"), ("qdebug_discard_median_ns", "discard")], "ns"),
    ("throughput protobuf + snappy, entries/s until acknowledged",
     [("throughput_eps_protobuf", "protobuf")], "eps"),
    ("throughput JSON / JSON + gzip, entries/s",
     [("throughput_eps_json", "JSON"), ("throughput_eps_json_gzip", "JSON + gzip")], "eps"),
    ("client CPU per delivered entry, protobuf / JSON / JSON + gzip, µs",
     [("client_cpu_us_per_entry_protobuf", "protobuf"), ("client_cpu_us_per_entry_json", "JSON"),
      ("client_cpu_us_per_entry_json_gzip", "JSON + gzip")], "us"),
    ("wire bytes per entry, request lines (~25 random characters each): JSON / JSON + gzip / "
     "protobuf + snappy",
     [("wire_bytes_request_json", "JSON"), ("wire_bytes_request_json_gzip", "gzip"),
      ("wire_bytes_request_protobuf", "protobuf")], "bytes"),
    ("protobuf + snappy as % of JSON, request lines / application messages",
     [("wire_protobuf_share_of_json_request", "request lines"),
      ("wire_protobuf_share_of_json_messages", "messages")], "percent"),
    ("memory per entry buffered during an outage, beyond the line's UTF-8: peak / settled "
     "(bytes the queue holds: line + metadata)",
     [("outage_peak_beyond_line", "peak"), ("outage_settled_beyond_line", "settled")], "bytes"),
    ("the queue's own bytes per entry beyond the line (metadata as stored)",
     [("outage_held_bytes_per_entry", "held"), ("outage_line_utf8_per_entry", "line")],
     "held-minus-line"),
    ("300 lines of 1 MB during an outage: peak RSS growth, MiB (the buffer's bound: 16 MiB)",
     [("outage_large_peak_mib", "peak")], "mib"),
    ("CPU at 1,000 entries/s, gross (process CPU / wall, event loop handling the signals), "
     "% of a core",
     [("cpu_percent_at_1000_eps", "gross")], "percent2"),
    ("  of which the application's 10 ms timer alone",
     [("cpu_percent_pacing_only", "timer")], "percent2"),
    ("idle: context switches of the process's threads in 3 flush intervals (15 s) after the "
     "last delivery",
     [("idle_wakeups", "idle")], "count"),
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
    if style == "held-minus-line":
        held, line = found[0][0], found[1][0]
        if not held or not line:
            return "–", ""
        return f"{held['value'] - line['value']:.0f}", ""
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


def print_all(figures):
    print("| scenario | figure | value | runs | target | met |")
    print("|---|---|---|---|---|---|")
    for f in figures:
        unit = f" {f['unit']}" if f["unit"] and f["unit"] not in ("%",) else f["unit"]
        runs = ", ".join(plain(r) for r in f["runs"]) if len(f["runs"]) > 1 else ""
        target = ""
        if f.get("target"):
            target = f"{OPS[f['target']['op']]} {plain(f['target']['value'])}"
        met = "" if f.get("met") is None else ("met" if f["met"] else "missed")
        print(f"| {f['section']} | {f['label'].strip()} | {plain(f['value'])}{unit} | {runs} | "
              f"{target} | {met} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="a JSON file written by qloki-bench --json")
    parser.add_argument("--all", action="store_true",
                        help="every figure of the run with its runs (bench/RESULTS.md's table)")
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != 2:
        sys.exit(f"{args.results}: not a qloki-bench results file of format 2")
    run = data["run"]
    figures = {f["key"]: f for f in data["figures"]}
    load = run.get("load_average_before", [None])[0]
    commit = run.get("commit", "")[:7] or "unknown"
    print(f"Run `{args.results}`: {run.get('date_utc')}, commit {commit}"
          f"{' with changes' if run.get('commit_dirty') else ''}, {run.get('machine_cpu')}, "
          f"{run.get('nproc')} CPUs, Qt {run.get('qt')}, spdlog {run.get('spdlog')}, "
          f"{run.get('build_type', '?')} build, load average {load} before the run; "
          f"medians of {run.get('repeat')} runs where a scenario repeats.")
    print()
    if args.all:
        print_all(data["figures"])
        return
    print("| figure | value | target |")
    print("|---|---|---|")
    for label, keys, style in ROWS:
        if not any(key in figures for key, _ in keys):
            continue
        values, target = row_cells(figures, keys, style)
        print(f"| {label} | {values} | {target} |")


if __name__ == "__main__":
    main()
