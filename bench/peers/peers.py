#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QLoki beside other Loki clients: the same receiver, the same lines, each client's default
batching, JSON and protobuf.

Clients: QLoki (loki-send), winston-loki (Node; installed into bench/peers/node_modules with
npm at the first run) and python-logging-loki (only where the module logging_loki is
installed). Each logs --count lines "synthetic entry <i>" to one bench/plain_receiver.py (a
Python http.server that parses every body), --runs times per format; the run with the
median entries/s is shown. Client CPU is the process's user + system time (getrusage),
less that of a run logging one line (start-up and exit), divided by the entries.

    python3 bench/peers/peers.py --loki-send build/app/loki-send/loki-send
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)


def start_receiver():
    process = subprocess.Popen([sys.executable, os.path.join(BENCH, "plain_receiver.py"),
                                "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if "http://" not in line:
        raise SystemExit("plain_receiver.py did not start: %r" % line)
    return process, line.split()[-1]


def receiver_stats(url):
    with urllib.request.urlopen(url + "/receiver/stats") as answer:
        return json.load(answer)


def run(command, env=None):
    """Runs a client; returns its JSON line and the CPU seconds the process used."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env)
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (command[0], process.returncode,
                                                   err.decode(errors="replace")[-500:]))
    lines = [l for l in out.decode().splitlines() if l.startswith("{")]
    return json.loads(lines[-1])


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # microseconds, not clock ticks
    return usage.ru_utime + usage.ru_stime


def measured(command):
    """run(), plus the CPU time of the process (the children's total before and after)."""
    before = children_cpu()
    result = run(command)
    result["cpu_s"] = children_cpu() - before
    return result


def npm_install():
    if os.path.isdir(os.path.join(HERE, "node_modules", "winston-loki")):
        return True
    if not shutil.which("npm") or not shutil.which("node"):
        print("winston-loki: skipped, node and npm are not installed")
        return False
    print("installing winston and winston-loki into bench/peers/node_modules ...", flush=True)
    done = subprocess.run(["npm", "install", "--no-save", "--no-package-lock", "--no-audit",
                           "--no-fund", "--prefix", HERE], capture_output=True, text=True)
    if done.returncode != 0:
        print("winston-loki: skipped, npm install failed:\n" + done.stderr[-1000:])
        return False
    snappy = os.path.isdir(os.path.join(HERE, "node_modules", "snappy"))
    print("winston-loki installed; its optional snappy dependency %s" %
          ("installed (protobuf available)" if snappy
           else "did not install (winston-loki falls back to JSON)"))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loki-send", default=os.path.join(BENCH, "..", "build", "app",
                                                            "loki-send", "loki-send"))
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--python-count", type=int, default=2000,
                        help="lines for python-logging-loki (one request per line)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()

    clients = []
    if os.access(args.loki_send, os.X_OK):
        clients.append(("QLoki (loki-send)", ["json", "protobuf"], lambda url, f, n: [
            args.loki_send, "--url", url, "--format", f, "--count", str(n), "-q",
            "--stats", "json"]))
    else:
        print("QLoki: skipped, no loki-send at %s (build it: ninja -C build loki-send)"
              % args.loki_send)
    if npm_install():
        clients.append(("winston-loki", ["json", "protobuf"], lambda url, f, n: [
            "node", os.path.join(HERE, "winston.js"), url, f, str(n)]))
    if subprocess.run([sys.executable, "-c", "import logging_loki"],
                      capture_output=True).returncode == 0:
        clients.append(("python-logging-loki", ["json"], lambda url, f, n: [
            sys.executable, os.path.join(HERE, "python_logging_loki.py"), url, str(n)]))
    else:
        print("python-logging-loki: skipped, the module logging_loki is not installed")

    receiver, url = start_receiver()
    rows = []
    try:
        print("receiver %s (bench/plain_receiver.py); %d lines per run, median of %d runs; "
              "load average %s" % (url, args.count, args.runs,
                                   open("/proc/loadavg").read().split()[:3]))
        for fmt in ["json", "protobuf"]:
            for name, formats, command in clients:
                if fmt not in formats:
                    continue
                count = args.python_count if name == "python-logging-loki" else args.count
                startup = measured(command(url, fmt, 1))["cpu_s"]
                runs = []
                for _ in range(args.runs):
                    before = receiver_stats(url)["entries"]
                    result = measured(command(url, fmt, count))
                    result["received"] = receiver_stats(url)["entries"] - before
                    runs.append(result)
                runs.sort(key=lambda r: r["entries_per_s"])
                best = runs[len(runs) // 2]
                row = {"client": name, "format": fmt, "wire": best.get("format", fmt),
                       "entries": count, "received": best["received"],
                       "entries_per_s": round(best["entries_per_s"]),
                       "runs_entries_per_s": [round(r["entries_per_s"]) for r in runs],
                       "cpu_s": round(best["cpu_s"], 3), "startup_cpu_s": round(startup, 3),
                       "cpu_us_per_entry": round((best["cpu_s"] - startup) / count * 1e6, 2)}
                rows.append(row)
                print("%-20s %-8s (sent as %-8s) %9d entries/s  CPU %6.3f s (start-up %5.3f)"
                      "  %6.2f us/entry  received %d/%d  runs %s" % (
                          name, fmt, row["wire"], row["entries_per_s"], row["cpu_s"],
                          startup, row["cpu_us_per_entry"], row["received"], count,
                          row["runs_entries_per_s"]), flush=True)
    finally:
        receiver.terminate()
        receiver.wait()

    by = {(r["client"], r["format"]): r for r in rows}
    for fmt in ["json", "protobuf"]:
        q, w = by.get(("QLoki (loki-send)", fmt)), by.get(("winston-loki", fmt))
        if q and w:
            print("%-8s QLoki / winston-loki: %.1fx the entries/s, %.1fx less CPU per entry"
                  % (fmt, q["entries_per_s"] / w["entries_per_s"],
                     w["cpu_us_per_entry"] / max(q["cpu_us_per_entry"], 1e-9)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                       "receiver": "bench/plain_receiver.py", "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
