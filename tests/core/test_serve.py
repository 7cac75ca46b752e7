"""`manage.py serve`, which `make run` ends with, as a person meets it: the pages from gunicorn, the static
files compressed under hashed names from WhiteNoise, the task worker beside them; a TERM or Ctrl-C stops
every process it started."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A database migrated and the static files collected, in a folder of their own, as `make run` does."""
    folder = tmp_path_factory.mktemp("served")
    env = {**os.environ, "DONDOC_DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev"}
    for step in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)
    return env


@pytest.fixture
def served(prepared: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The application served as `make run` serves it."""
    env = prepared
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--address", address, "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{address}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(f"{base}/accounts/login/")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("manage.py serve did not answer within a minute")
            time.sleep(0.3)
    started = descendants(server.pid)
    yield server, base
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=30)
    for pid in started:  # nothing left behind whatever the test did
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_pages_and_compressed_static_files_from_the_production_server(served):
    server, base = served
    status, headers, page = get(f"{base}/accounts/login/")
    assert status == 200 and "gunicorn" in headers.get("server", "")
    [stylesheet] = re.findall(rb'href="(/static/dondoc/dondoc\.[0-9a-f]{12}\.css)"', page)
    status, headers, _body = get(base + stylesheet.decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]  # a hashed name never changes: kept for good
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in descendants(server.pid) if alive(pid)]
    assert any(b"gunicorn" in command for command in commands)
    assert any(b"run_worker" in command for command in commands)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "Ctrl-C"])
def test_a_term_or_ctrl_c_stops_every_process_it_started(served, signum):
    server, _base = served
    started = descendants(server.pid)
    assert len(started) >= 4  # gunicorn and its two workers, the task worker
    server.send_signal(signum)
    assert server.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in started if alive(pid)]


def test_the_production_settings_serve_behind_a_proxy(prepared):
    """The deployment: the production settings, the same server, a request as the HTTPS proxy passes it on."""
    env = {
        **prepared,
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.production",
        "DONDOC_SECRET_KEY": "k" * 50,
        "DONDOC_ALLOWED_HOSTS": "dondoc.example",
    }
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-worker", "--address", address, "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxied = {"Host": "dondoc.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, page = get(f"http://{address}/accounts/login/", **proxied)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not answer"
                time.sleep(0.3)
        assert status == 200 and "Strict-Transport-Security".lower() in headers
        [stylesheet] = re.findall(rb'href="(/static/dondoc/dondoc\.[0-9a-f]{12}\.css)"', page)
        status, headers, _body = get(
            f"http://{address}{stylesheet.decode()}", **proxied, **{"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers["content-encoding"] == "gzip"
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0
