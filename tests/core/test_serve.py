"""`manage.py serve`, which `make run` ends with, as a person meets it: under the production settings served
to this machine alone, the pages from gunicorn, a log-in over plain HTTP, the static files compressed under
hashed names from WhiteNoise, the task worker beside them; a TERM or Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
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


USERNAME, PASSWORD = "thu.nghiem", "mat-khau-dai-du-manh-2026"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A database migrated, a user and the static files collected, in a folder of their own, as `make run`
    does its set-up (on the development settings, which keep the secret key in that folder)."""
    folder = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "DONDOC_DATA_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    env.pop("DONDOC_SECRET_KEY", None)
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["createsuperuser", "--noinput", "--username", USERNAME, "--email", "tn@example.vn"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([sys.executable, "manage.py", *step], cwd=ROOT, env=env, check=True)
    return env


def local_production(prepared: dict[str, str], *hosts: str) -> dict[str, str]:
    """The environment `make run` serves in (Makefile, LOCAL_PRODUCTION)."""
    return {
        **prepared,
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.production",
        "DONDOC_LOCAL_ONLY": "1",
        "DONDOC_SECRET_KEY_FILE": str(Path(prepared["DONDOC_DATA_DIR"]) / "secret_key"),
        "DONDOC_ALLOWED_HOSTS": ",".join(hosts or ("127.0.0.1", "localhost")),
    }


@pytest.fixture
def served(prepared: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The application served as `make run` serves it."""
    env = local_production(prepared)
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


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer to look at, not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_a_person_logs_in_over_plain_http_on_this_machine_with_debug_off(served):
    _server, base = served
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), KeepRedirects())
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    ).encode()
    with pytest.raises(urllib.error.HTTPError) as signed_in:
        opener.open(urllib.request.Request(f"{base}/accounts/login/", data=form), timeout=10)
    assert signed_in.value.code == 302 and signed_in.value.headers["Location"] == "/"
    session = next(cookie for cookie in jar if cookie.name == "sessionid")
    assert not session.secure and session.has_nonstandard_attr("HttpOnly")  # no TLS here: sent over HTTP
    with pytest.raises(urllib.error.HTTPError) as missing:
        opener.open(f"{base}/no-such-page/", timeout=10)
    assert missing.value.code == 404
    body = missing.value.read()
    assert b"Traceback" not in body and b"URLconf" not in body  # DEBUG is off


def test_serving_locally_refuses_a_host_beyond_this_machine(prepared):
    env = local_production(prepared, "127.0.0.1", "dondoc.example")
    ran = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode != 0
    assert "DONDOC_LOCAL_ONLY=1" in ran.stderr and "dondoc.example" in ran.stderr
    assert "Traceback" not in ran.stderr.splitlines()[-1]


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


def test_a_periodic_command_runs_at_start_then_each_period_never_twice_at_once(monkeypatch):
    from dondoc.core.management.commands import serve

    started: list[list[str]] = []

    class Running:
        finished = False

        def poll(self) -> int | None:
            return 0 if self.finished else None

    runs: list[Running] = []

    def start(command: list[str]) -> Running:
        started.append(command)
        runs.append(Running())
        return runs[-1]

    monkeypatch.setattr(serve, "_start", start)
    monkeypatch.setattr(serve.time, "monotonic", lambda: 1000.0)
    job = serve._Periodic("refresh_dashboards", 600.0)
    assert [command[-3:] for command in started] == [["refresh_dashboards", "-v", "0"]]
    job.run_if_due(1599.0)
    assert len(started) == 1  # not yet due
    job.run_if_due(1600.0)
    assert len(started) == 1  # due, but the first run is still going
    runs[0].finished = True
    job.run_if_due(1601.0)
    assert len(started) == 2 and job.next_run == 2201.0
    assert [every for _command, every in serve.PERIODIC] == [3600.0, 600.0]
