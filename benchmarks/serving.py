"""Serving: the production WSGI server `manage.py serve` starts (gunicorn), measured as `make run` runs it.

A database migrated and the static files collected in a temporary folder (`dondoc.settings.dev`, SQLite); then
gunicorn with 3 processes (2 CPUs plus one), sync workers and then threaded ones (`gthread`, 4 threads each),
each loaded by 16 clients on loopback asking 1,500 times for the log-in page (a template, the session, the
CSRF token) and for the hashed stylesheet (WhiteNoise, gzip). Throughput and latency percentiles, errors, and
the resident memory of each web process after the load. Baseline, in the same run: the same page through
Django's test Client in one process, with no server and no socket. The load comes from the same two CPUs, so
the figures are lower than on a machine of its own.

Granian 2.8.9 (`--interface wsgi`, 2 workers), measured once on this machine against gunicorn before choosing
and then not kept as a dependency: log-in page 632 req/s, p95 38.7 ms with 4 blocking threads, 732 req/s,
p95 22.6 ms with 1; stylesheet 2,373 and 2,228 req/s; 125–128 MB per worker. Gunicorn's sync workers were as
fast, with the lowest p95 and memory, and gunicorn is the long-standing choice, in Debian too.
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks._processes import children, free_port, resident_mb

ROOT = Path(__file__).resolve().parents[1]
REQUESTS, CLIENTS, PROCESSES = 1_500, 16, 3


def _load(url: str) -> dict[str, float]:
    """REQUESTS GETs from CLIENTS threads: requests per second, p50/p95/p99 in ms, errors."""
    latencies: list[float] = []
    errors = [0]
    left = [REQUESTS]
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            started = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
            except OSError:
                errors[0] += 1
            with lock:
                latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "rate": REQUESTS / elapsed,
        "p50": ordered[len(ordered) // 2] * 1000,
        "p95": ordered[int(len(ordered) * 0.95)] * 1000,
        "p99": ordered[int(len(ordered) * 0.99)] * 1000,
        "errors": errors[0],
    }


def _served(env: dict[str, str], worker_class: str) -> dict[str, object]:
    address = f"127.0.0.1:{free_port()}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dondoc.wsgi:application",
        "--bind",
        address,
        "--workers",
        str(PROCESSES),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        command += ["--threads", "4"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://{address}"
    try:
        for _attempt in range(200):
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
                    page = response.read()
                break
            except OSError:
                time.sleep(0.2)
        stylesheet = re.search(rb'href="(/static/dondoc/dondoc\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "no hashed stylesheet in the page: collectstatic did not run"
        login = _load(f"{base}/accounts/login/")
        static = _load(base + stylesheet.group(1).decode())
        memory = [resident_mb(pid) for pid in children(server.pid)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"login": login, "static": static, "memory": memory}


def _baseline(env: dict[str, str]) -> float:
    """The log-in page through Django's test Client in this process: median ms of 200."""
    os.environ.update(env)
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/accounts/login/").status_code == 200
    times = []
    for _ in range(200):
        started = time.perf_counter()
        client.get("/accounts/login/")
        times.append(time.perf_counter() - started)
    return statistics.median(times[20:]) * 1000


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="dondoc-serving-") as folder:
        env = {**os.environ, "DONDOC_DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev"}
        for step in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)
        results = {kind: _served(env, kind) for kind in ("sync", "gthread")}
        bare = _baseline(env)

    def row(label: str, key: str) -> str:
        cells = []
        for kind in ("sync", "gthread"):
            found = results[kind][key]
            assert isinstance(found, dict)
            cells.append(
                f"{found['rate']:,.0f} req/s; p50 {found['p50']:.1f} / p95 {found['p95']:.1f} / "
                f"p99 {found['p99']:.1f} ms; {found['errors']:.0f} errors"
            )
        return f"| {label} | {cells[0]} | {cells[1]} |"

    def memory(kind: str) -> str:
        sizes = results[kind]["memory"]
        assert isinstance(sizes, list)
        return ", ".join(f"{size:.0f}" for size in sorted(sizes)) + " MB"

    return "\n".join(
        [
            "## Serving (`benchmarks/serving.py`)",
            "",
            " ".join((__doc__ or "").split("\n\n")[1].split()),
            "",
            "| | gunicorn, sync workers (`manage.py serve`) | gunicorn, gthread (4 threads) |",
            "|---|---|---|",
            row("log-in page", "login"),
            row("hashed stylesheet, gzip (WhiteNoise)", "static"),
            f"| resident memory of each web worker after the load | {memory('sync')} | {memory('gthread')} |",
            f"| baseline: the log-in page through the test Client, no server | {bare:.1f} ms | |",
            "",
            " ".join((__doc__ or "").split("\n\n")[2].split()),
        ]
    )
