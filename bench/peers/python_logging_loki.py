#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""python-logging-loki (module logging_loki) with its defaults but the URL and the tags:
logs COUNT lines as loki-send does and prints what it measured as one JSON line. Its
handler pushes each record as it is logged (JSON), so the loop's end is the delivery's.

    python3 bench/peers/python_logging_loki.py http://127.0.0.1:3101 100000
"""

import json
import logging
import sys
import time

import logging_loki  # python-logging-loki; absent unless installed by hand


def main():
    url, count = sys.argv[1], int(sys.argv[2])
    handler = logging_loki.LokiHandler(url=url.rstrip("/") + "/loki/api/v1/push",
                                       tags={"app": "loki-send", "environment": "production"},
                                       version="1")
    logger = logging.getLogger("peers")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    cpu = time.process_time()
    start = time.perf_counter()
    for i in range(1, count + 1):
        logger.info("synthetic entry %d", i)
    elapsed = time.perf_counter() - start
    print(json.dumps({"format": "json", "entries": count, "elapsed_s": elapsed,
                      "entries_per_s": count / elapsed,
                      "window_cpu_s": time.process_time() - cpu}))


if __name__ == "__main__":
    main()
