"""Several users at once: the follow-up cycle driven by real threads against a running server, on the
embedded SQLite default and on PostgreSQL, side by side in one run.

Each database gets its own server (`manage.py serve --no-worker`: gunicorn's sync workers, one process per
CPU plus one, as `make run` serves it) on a database of its own: a temporary SQLite file, and
`dondoc_bench_concurrency` on the PostgreSQL server at 127.0.0.1:5432 when one answers as `dondoc` (created,
then dropped). The database is
prepared as `make run` prepares it (migrate, the sample registry, the demo users, the seed letter published,
the static files collected).

Each simulated user is a thread that, cycle after cycle, on one of Cư Jút's assignments: drafts a report
that declares the task done (the body's reporter, API), sends it (the body's leader, API), and confirms it
or returns it (the monitor, API); every third cycle the reporter also asks for a new deadline (web form) and
the monitor decides it (web form). Then races: two leaders' approvals of one report released together, and
a monitor's confirm against another's return. Afterwards every acknowledged write is read back.

The baseline is the same load on SQLite as Django opens it by default (rollback journal, DEFERRED
transactions, a 5-second busy timeout): what dondoc did before its SQLite options.

Used by the tests (tests/web/test_concurrency.py, with a smaller load) and by `python -m benchmarks
concurrency`, which writes the table in BENCHMARKS.md.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks._processes import free_port, manage, postgresql_available, postgresql_database

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "dondoc_bench_concurrency"
PASSWORD = "Concurrency-7-tested"
BODY = "CJU.BTV"
TODAY = date(2023, 7, 10)  # the seed letter's deadlines still ahead
# Django's own SQLite options, for the baseline: a settings module that drops dondoc's
DEFAULT_SQLITE_SETTINGS = """from dondoc.settings.dev import *  # noqa: F403
DATABASES["default"].pop("OPTIONS", None)  # noqa: F405
"""

# Tokens for the API users and the ids of the body's assignments, printed as JSON by the server's own shell
PREPARE = f"""
import json
from dondoc.accounts.models import User
from dondoc.accounts.services import issue_token
from dondoc.directives.models import Assignment
users = {{name: User.objects.get(username=name) for name in ("reporter", "leader", "monitor")}}
for user in users.values():
    user.set_password({PASSWORD!r}); user.save()
tokens = {{name: issue_token(user=user, name="load").key for name, user in users.items()}}
ours = Assignment.objects.filter(organization__code={BODY!r}).order_by("pk")
assignments = list(ours.values_list("pk", flat=True))
# those with a due date, which a new deadline can be asked for
dated = list(ours.filter(task__due__isnull=False).values_list("pk", flat=True))
print(json.dumps({{"tokens": tokens, "assignments": assignments, "dated": dated}}))
"""


@dataclass
class Server:
    base: str
    tokens: dict[str, str]
    assignments: list[int]
    dated_assignments: list[int]


@dataclass
class Tally:
    """What the clients saw: one status and latency per request, the acknowledged writes, what went wrong."""

    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # report id → the state its last acknowledged change left it in
    reports: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float, what: str) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.seconds.append(seconds)
            if status >= 500:
                self.failures.append(f"{status} {what}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Client:
    """One person's HTTP client: a bearer token for the API, a session (cookies, CSRF) for the web forms."""

    def __init__(self, server: Server, tally: Tally, *, name: str) -> None:
        self.server, self.tally, self.name = server, tally, name
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def _send(self, request: urllib.request.Request, what: str) -> tuple[int, bytes]:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        self.tally.record(status, time.perf_counter() - started, what)
        return status, body

    def api(self, method: str, path: str, payload: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.server.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.server.tokens[self.name]}")
        request.add_header("Content-Type", "application/json")
        status, body = self._send(request, f"{method} {path}")
        try:
            return status, json.loads(body or b"null")
        except ValueError:
            return status, body.decode(errors="replace")

    def _csrf(self) -> str:
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, str]:
        status, body = self._send(urllib.request.Request(self.server.base + path), f"GET {path}")
        return status, body.decode(errors="replace")

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(self.server.base + path, data=data, method="POST")
        request.add_header("Referer", self.server.base + path)
        request.add_header("Accept-Language", "en")
        status, body = self._send(request, f"POST {path}")
        return status, body.decode(errors="replace")

    def log_in(self) -> None:
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": self.name, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"{self.name} could not log in ({status})")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def follow_up_cycles(server: Server, tally: Tally, *, user: int, cycles: int) -> None:
    """One simulated user's share of the load (see the module's docstring)."""
    reporter, leader, monitor = (
        Client(server, tally, name=name) for name in ("reporter", "leader", "monitor")
    )
    assignment = server.assignments[user % len(server.assignments)]
    for cycle in range(cycles):
        status, report = reporter.api(
            "POST",
            f"/api/assignments/{assignment}/reports",
            {"text": f"user {user} cycle {cycle}", "percent": 100, "reports_done": True},
        )
        if status not in (200, 201):
            continue
        report_id = report["id"]
        with tally.lock:
            tally.reports[report_id] = "draft"
        if leader.api("POST", f"/api/reports/{report_id}/approve")[0] != 200:
            continue
        with tally.lock:
            tally.reports[report_id] = "sent"
        if cycle % 2:
            status, _ = monitor.api(
                "POST", f"/api/reports/{report_id}/return", {"comment": "Bổ sung số liệu"}
            )
            decided = "returned"
        else:
            status, _ = monitor.api("POST", f"/api/reports/{report_id}/confirm")
            decided = "confirmed"
        if status == 200:
            with tally.lock:
                tally.reports[report_id] = decided
        if cycle % 3 == 2:
            dated = server.dated_assignments[user % len(server.dated_assignments)]
            request_and_decide_extension(reporter, monitor, assignment=dated, user=user)


def request_and_decide_extension(reporter: Client, monitor: Client, *, assignment: int, user: int) -> None:
    for client in (reporter, monitor):
        if not client.cookies:
            client.log_in()
    due = (TODAY + timedelta(days=60 + user)).strftime("%d/%m/%Y")
    reporter.post(
        f"/directives/assignments/{assignment}/extensions/",
        {"requested_due": due, "reason": f"Chờ ý kiến (user {user})"},
    )
    status, page = monitor.get(f"/directives/assignments/{assignment}/")
    pending = re.findall(r"/directives/extensions/(\d+)/decide/", page)
    if status == 200 and pending:
        extension = pending[0]
        monitor.post(
            f"/directives/extensions/{extension}/decide/",
            {f"decide-{extension}-decision": "approve", f"decide-{extension}-comment": "Đồng ý"},
        )


@dataclass
class RaceOutcome:
    trials: int = 0
    one_winner: int = 0
    loser_told: int = 0


def races(server: Server, tally: Tally, *, trials: int) -> dict[str, RaceOutcome]:
    """Two approvals of one report (two leader clients), a confirm against a return (two monitors), and a
    new deadline approved against refused (two monitors, web forms), each pair released together; the loser
    must be told (a 4xx with a message), never a 500."""
    outcomes = {
        "two approvals": RaceOutcome(),
        "confirm against return": RaceOutcome(),
        "approve against refuse (web)": RaceOutcome(),
    }
    reporter = Client(server, tally, name="reporter")
    leaders = [Client(server, tally, name="leader") for _ in range(2)]
    monitors = [Client(server, tally, name="monitor") for _ in range(2)]
    for trial in range(trials):
        assignment = server.assignments[trial % len(server.assignments)]
        status, report = reporter.api(
            "POST",
            f"/api/assignments/{assignment}/reports",
            {"text": f"race {trial}", "percent": 100, "reports_done": True},
        )
        if status not in (200, 201):
            continue
        report_id = report["id"]
        approve = f"/api/reports/{report_id}/approve"
        approvals = _together(lambda client, path=approve: client.api("POST", path), leaders)
        _judge(outcomes["two approvals"], approvals)
        decisions = _together(
            lambda client, path=f"/api/reports/{report_id}": (
                client.api("POST", f"{path}/confirm")
                if client is monitors[0]
                else client.api("POST", f"{path}/return", {"comment": "Trả lại"})
            ),
            monitors,
        )
        _judge(outcomes["confirm against return"], decisions)
        with tally.lock:
            tally.reports[report_id] = "confirmed" if decisions[0][0] == 200 else "returned"
        dated = server.dated_assignments[trial % len(server.dated_assignments)]
        _extension_race(
            outcomes["approve against refuse (web)"], reporter, monitors, assignment=dated, trial=trial
        )
    return outcomes


def _extension_race(
    outcome: RaceOutcome, reporter: Client, monitors: list[Client], *, assignment: int, trial: int
) -> None:
    """A new deadline asked, then approved by one monitor and refused by another at the same moment, through
    the web forms: one is redirected (done), the other gets the page again with the reason it was refused."""
    for client in (reporter, *monitors):
        if not client.cookies:
            client.log_in()
    due = (TODAY + timedelta(days=120 + 30 * trial)).strftime("%d/%m/%Y")
    reporter.post(
        f"/directives/assignments/{assignment}/extensions/", {"requested_due": due, "reason": "Đua"}
    )
    pending = re.findall(
        r"/directives/extensions/(\d+)/decide/", monitors[0].get(f"/directives/assignments/{assignment}/")[1]
    )
    if not pending:
        return
    prefix = f"decide-{pending[0]}"
    results = _together(
        lambda client, path=f"/directives/extensions/{pending[0]}/decide/": client.post(
            path,
            {
                f"{prefix}-decision": "approve" if client is monitors[0] else "refuse",
                f"{prefix}-comment": "Đua",
            },
        ),
        monitors,
    )
    outcome.trials += 1
    statuses = sorted(status for status, _ in results)
    if statuses == [302, 400]:
        outcome.one_winner += 1
        if 'role="alert"' in next(page for status, page in results if status == 400):
            outcome.loser_told += 1


def _together(call: Any, clients: list[Client]) -> list[tuple[int, Any]]:
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, Any]] = [(0, None)] * len(clients)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = call(clients[index])

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _judge(outcome: RaceOutcome, results: list[tuple[int, Any]]) -> None:
    outcome.trials += 1
    statuses = sorted(status for status, _ in results)
    if statuses.count(200) == 1:
        outcome.one_winner += 1
    loser = next((body for status, body in results if status != 200), None)
    if 400 <= max(statuses) < 500 and isinstance(loser, dict) and loser.get("detail"):
        outcome.loser_told += 1


def lost_writes(server: Server, tally: Tally) -> list[str]:
    """Every report a client saw acknowledged, read back: its state must be the last one acknowledged."""
    monitor = Client(server, Tally(), name="monitor")
    lost = []
    for report_id, expected in sorted(tally.reports.items()):
        status, body = monitor.api("GET", f"/api/reports/{report_id}")
        state = body.get("state") if isinstance(body, dict) else None
        if expected == "draft":
            continue  # a draft is the reporter's own: the monitor is right not to see it
        if status != 200 or state != expected:
            lost.append(f"report {report_id}: {expected} acknowledged, {state or status} found")
    return lost


@dataclass
class LoadResult:
    users: int
    tally: Tally
    wall_seconds: float
    races: dict[str, RaceOutcome]
    lost: list[str]


def run_load(server: Server, *, users: int, cycles: int, race_trials: int) -> LoadResult:
    tally = Tally()
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=follow_up_cycles, args=(server, tally), kwargs={"user": user, "cycles": cycles}
        )
        for user in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = races(server, tally, trials=race_trials)
    wall = time.perf_counter() - started
    return LoadResult(users, tally, wall, outcomes, lost_writes(server, tally))


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[Server]:
    """A database prepared as `make run` prepares it, served as `make run` serves it, on a free port."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_sample_registry", "--if-empty")
    manage(env, "setup_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    prepared = json.loads(manage(env, "shell", "-c", PREPARE).strip().splitlines()[-1])
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-worker", "--address", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.3)
        yield Server(base, prepared["tokens"], prepared["assignments"], prepared["dated"])
    finally:
        process.terminate()
        process.wait(timeout=30)


def base_environment(folder: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "PG", "DJANGO_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.dev",
        "DONDOC_DATA_DIR": str(folder),
        "DONDOC_TASKS": "immediate",
        "DONDOC_LOG_LEVEL": "ERROR",
        "DONDOC_TODAY": TODAY.isoformat(),
    }


@contextmanager
def sqlite_environment(*, django_defaults: bool = False) -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="dondoc-load-") as folder:
        env = base_environment(Path(folder))
        if django_defaults:
            (Path(folder) / "default_sqlite_settings.py").write_text(DEFAULT_SQLITE_SETTINGS)
            env |= {"DJANGO_SETTINGS_MODULE": "default_sqlite_settings", "PYTHONPATH": folder}
        yield env


@contextmanager
def postgresql_environment(database: str = BENCH_DATABASE) -> Iterator[dict[str, str]]:
    with (
        postgresql_database(database) as pointing,
        tempfile.TemporaryDirectory(prefix="dondoc-load-") as folder,
    ):
        yield base_environment(Path(folder)) | pointing


DESCRIPTION = """
Each user is a thread running {cycles} follow-up cycles against `manage.py serve` (gunicorn, 3 processes;
draft a report, send it, confirm or return it through the API; every third cycle a new deadline asked and
decided through the web forms), then {trials} trials of each race (two approvals of one report; a confirm
against a return; a new deadline approved against refused), then every acknowledged write read back. Latencies
are per request as the client saw it; the machine's 2 CPUs run the server, the database and the clients. The
baseline is SQLite as Django opens it (rollback journal, DEFERRED transactions, 5 s busy timeout); dondoc's
SQLite uses WAL, IMMEDIATE transactions and a 30 s busy timeout.
"""
USERS = (4, 8, 16)
CYCLES = 12
RACE_TRIALS = 10


def _row(label: str, result: LoadResult) -> str:
    tally = result.tally
    races = "; ".join(
        f"{name}: {outcome.one_winner}/{outcome.trials} one winner, {outcome.loser_told} losers told"
        for name, outcome in result.races.items()
    )
    share = 100 * tally.server_errors / max(tally.requests, 1)
    return (
        f"| {label} | {result.users} | {tally.requests} | {tally.server_errors} ({share:.1f} %) "
        f"| {1000 * statistics.median(tally.seconds):.0f} | {1000 * tally.percentile(0.95):.0f} "
        f"| {tally.requests / result.wall_seconds:.1f} | {len(result.lost)} | {races} |"
    )


def run() -> str:
    rows = []
    setups: list[tuple[str, Any]] = [
        ("SQLite, Django's defaults (baseline)", lambda: sqlite_environment(django_defaults=True)),
        ("SQLite (dondoc)", sqlite_environment),
    ]
    if postgresql_available():
        setups.append(("PostgreSQL", postgresql_environment))
    for users in USERS:
        for label, environment in setups:
            with environment() as env, running_server(env) as server:
                result = run_load(server, users=users, cycles=CYCLES, race_trials=RACE_TRIALS)
            rows.append(_row(label, result))
            print(rows[-1], file=sys.stderr)
    return "\n".join(
        [
            "## Concurrent users (`benchmarks/concurrency.py`)",
            "",
            " ".join(DESCRIPTION.format(cycles=CYCLES, trials=RACE_TRIALS).split()),
            "",
            "| database | users | requests | server errors | p50 ms | p95 ms | requests/s | lost writes "
            "| races |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
