#!/usr/bin/env python3
"""Speed of the web app (fourp serve): page load, a form edit's validation round trip, and a run
from the app against `fourp run --report` of the same scenario (both write the results file
and the report). Records go to docs/performance.md.

    python3 bench/serve_bench.py build-test/app/fourp [replicates]

Starts `fourp serve` on a free port over a fresh workspace, times requests from this process
(loopback), and prints medians.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def main():
    exe = os.path.abspath(sys.argv[1])
    replicates = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    ws = tempfile.mkdtemp(prefix="fourp-serve-bench-")
    server = subprocess.Popen([exe, "serve", "--dir", ws, "--port", "0"], stdout=subprocess.PIPE,
                              text=True)
    try:
        url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
        base, token = url.split("/?token=")
        port = base.rsplit(":", 1)[1]
        headers = {"Cookie": f"fourp_token_{port}={token}", "Origin": base,
                   "Content-Type": "application/json"}

        def call(path, body=None):
            req = urllib.request.Request(base + path, headers=headers,
                                         data=None if body is None else json.dumps(body).encode())
            with urllib.request.urlopen(req) as r:
                return r.read()

        def median_ms(f, n):
            times = []
            for _ in range(n):
                t = time.perf_counter()
                f()
                times.append(1000 * (time.perf_counter() - t))
            return statistics.median(times), max(times)

        page = median_ms(lambda: [call(p) for p in ("/", "/app.js", "/app.css", "/api/workspace")], 20)
        flagship = "scenarios/rural-district.yaml"
        text = call(f"/api/file?path={flagship}").decode()
        opened = median_ms(lambda: call("/api/check", {"path": flagship, "text": text}), 20)
        values = iter([f"0.{i % 9 + 1}" for i in range(1000)])
        edit = median_ms(lambda: call("/api/edit", {"path": flagship, "text": text, "op": "set",
                                                     "key": "model.denial", "value": next(values)}), 50)
        print(f"page load (/, app.js, app.css, /api/workspace): median {page[0]:.1f} ms, max {page[1]:.1f} ms")
        print(f"opening the flagship in the form (/api/check): median {opened[0]:.1f} ms, max {opened[1]:.1f} ms")
        print(f"form edit round trip (/api/edit: edit + full validation + form): median {edit[0]:.1f} ms, max {edit[1]:.1f} ms")

        def app_run():
            t = time.perf_counter()
            run = json.loads(call("/api/runs", {"path": flagship, "replicates": replicates}))["id"]
            while json.loads(call(f"/api/runs/{run}"))["state"] in ("queued", "running"):
                time.sleep(0.05)
            return time.perf_counter() - t

        def cli_run():
            out, report = os.path.join(ws, "cli.h5"), os.path.join(ws, "cli.html")
            for f in (out, report):
                if os.path.exists(f):
                    os.remove(f)
            t = time.perf_counter()
            subprocess.run([exe, "run", os.path.join(ws, flagship), "-o", out, "--report", report,
                            "--replicates", str(replicates), "-q"], check=True)
            return time.perf_counter() - t

        runs_app, runs_cli = [], []
        for _ in range(3):  # interleaved, so that a slow minute of the machine hits both
            runs_app.append(app_run())
            runs_cli.append(cli_run())
        a, c = statistics.median(runs_app), statistics.median(runs_cli)
        print(f"flagship, {replicates} replicates x 5 arms, results and report: app {a:.2f} s, "
              f"fourp run --report {c:.2f} s (medians of 3; app/run = {a / c:.3f})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
