"""Load: a province's reporting week against the server `make run` starts, on SQLite and on PostgreSQL.

Each database gets a data folder of its own prepared as `make run` prepares it (migrate, the sample registry,
setup_demo with the 2025 reorganisation, the static files collected), plus a reporter and a leader for each
body that holds assignments today, {monitors} monitors of the Organization Commission and {readers} readers
of the Standing Board, all with one password. The whole of `manage.py serve` then serves it (gunicorn's sync
workers, one per CPU plus one, with the task worker beside them) under the production settings: on SQLite as
`make run` serves them (plain HTTP to this machine alone), on PostgreSQL (`{pg_database}`, created then
dropped) behind a reverse proxy, which locust stands in for.

First every account logs in once through the log-in form, {at_once} at a time, as people do when their
working day begins (a session lasts the day): how many log-ins a second the server takes, each hashing the
password (PBKDF2, Django's million iterations), is measured there. Locust (a child process,
benchmarks/_load_users.py) then plays the people, with those sessions: 85 % of a body's reporters and
leaders (open the inbox and an assignment, write a progress report with a .pdf or .docx attached; the
leader approves the body's drafts, which sends them), 10 % monitors (the overall dashboard, the overdue
list, a directive's task × body grid, its follow-up by period), 5 % readers (the directive list, a grid, a
search, the dashboard), each pausing {think} seconds between pages. The load goes up in steps
(benchmarks/_load_steps.py: {steps}, {rate} people added a second): each step's figures count the
requests made from the end of the step before to the end of its hold. The people of a step share the
accounts of the province's bodies, as several clerks of a body do.
Baseline, in the same run: one person of each kind, one second between pages, on the same server before the
load. Locust, the server and the database share the machine's CPUs.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from benchmarks._processes import (
    children,
    free_port,
    manage,
    postgresql_available,
    postgresql_database,
    resident_mb,
)

ROOT = Path(__file__).resolve().parents[1]
USERS_FILE = "benchmarks/_load_users.py"
STEPS_FILE = "benchmarks/_load_steps.py"
PASSWORD = "Tuan-bao-cao-2025"
MONITORS, READERS = 10, 5
PG_DATABASE = "dondoc_load"
# simulated people, seconds held there
STEPS = ((25, 20), (50, 20), (100, 20), (200, 20), (350, 20), (500, 60))
STEP_RATE = 5.0
THINK = "3,9"
BASELINE_SECONDS = 30
P95_LIMIT_MS = 300.0
LOG_IN_PATH = "/accounts/login/"
# log-ins at a time before the load: more than the web workers, so that they queue as a morning's do
LOG_IN_AT_ONCE = 8
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}

# Run in the server's own shell: the accounts the simulation needs, through the project's models and the
# membership service, written to the JSON file locust reads
PREPARE = """
import json
from django.contrib.auth.hashers import make_password
from dondoc import clock
from dondoc.accounts.models import Membership, Role, User
from dondoc.accounts.services import add_membership
from dondoc.directives.models import Assignment, Directive, DirectiveState
from dondoc.registry.models import Organization

# one hash of the one password for every account: hashing it again for each would take minutes
password = make_password({password!r})

def account(username, role, organization=None, jurisdiction=None):
    user = User.objects.create(username=username, password=password)
    add_membership(user=user, role=role, organization=organization, jurisdiction=jurisdiction)
    return username

holding = Organization.objects.as_of(clock.today()).filter(
    id__in=Assignment.objects.values("organization_id")
).order_by("code")
bodies = [
    {{"reporter": account(f"reporter-{{body.pk}}", Role.UNIT_REPORTER, body),
      "leader": account(f"leader-{{body.pk}}", Role.UNIT_LEADER, body)}}
    for body in holding
]
# the demo's monitor and reader say where the Organization Commission and the Standing Board are today
monitor = Membership.objects.get(user__username="monitor")
reader = Membership.objects.get(user__username="reader")
accounts = {{
    "password": {password!r},
    "bodies": bodies,
    "monitors": [
        account(f"monitor-{{n}}", Role.MONITOR, monitor.organization, monitor.jurisdiction)
        for n in range({monitors})
    ],
    "readers": [account(f"reader-{{n}}", Role.READER, None, reader.jurisdiction) for n in range({readers})],
    "directives": list(
        Directive.objects.filter(state=DirectiveState.PUBLISHED).order_by("pk").values_list("pk", flat=True)
    ),
}}
with open({path!r}, "w", encoding="utf-8") as file:
    json.dump(accounts, file)
"""


@dataclass(frozen=True, slots=True)
class Sample:
    at: float
    users: int
    name: str
    milliseconds: float
    failure: str


@dataclass
class Served:
    """A running `manage.py serve` and what the simulation needs to reach it."""

    process: subprocess.Popen[bytes]
    base: str
    accounts: Path


def base_environment(folder: Path) -> dict[str, str]:
    """The environment `make run` gives the server, with a data folder of its own, no settings inherited."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DONDOC_", "PG", "DJANGO_"))
    }
    return env | {"DJANGO_SETTINGS_MODULE": "dondoc.settings.dev", "DONDOC_DATA_DIR": str(folder)}


# The set-up's settings with the static files hashed but not compressed: collected in 2 s instead of 30,
# for the test, whose simulated people never ask for them
UNCOMPRESSED_STATIC_SETTINGS = """from dondoc.settings.dev import *  # noqa: F403
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
}
"""


@contextmanager
def sqlite_environment(*, compressed_static: bool = True) -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="dondoc-load-") as folder:
        env = base_environment(Path(folder))
        if not compressed_static:
            (Path(folder) / "uncompressed_static_settings.py").write_text(UNCOMPRESSED_STATIC_SETTINGS)
            env |= {"DJANGO_SETTINGS_MODULE": "uncompressed_static_settings", "PYTHONPATH": folder}
        yield env


@contextmanager
def postgresql_environment() -> Iterator[dict[str, str]]:
    """A database of its own on the local PostgreSQL (created, then dropped), with the production settings."""
    with (
        postgresql_database(PG_DATABASE) as database,
        tempfile.TemporaryDirectory(prefix="dondoc-load-") as folder,
    ):
        yield (
            base_environment(Path(folder))
            | database
            | {
                "DJANGO_SETTINGS_MODULE": "dondoc.settings.production",
                "DONDOC_SECRET_KEY": secrets.token_urlsafe(50),
                "DONDOC_ALLOWED_HOSTS": "127.0.0.1",
            }
        )


def prepare(env: dict[str, str]) -> Path:
    """The data folder as `make run` prepares it, plus the simulation's accounts; the accounts file."""
    accounts = Path(env["DONDOC_DATA_DIR"]) / "load-accounts.json"
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_sample_registry", "--if-empty")
    manage(env, "setup_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    script = PREPARE.format(password=PASSWORD, monitors=MONITORS, readers=READERS, path=str(accounts))
    manage(env, "shell", "-c", script)
    return accounts


def serving_environment(env: dict[str, str]) -> dict[str, str]:
    """What the server runs with: a deployment's production settings as they are; otherwise as `make run`
    serves (Makefile, LOCAL_PRODUCTION): the production settings over plain HTTP to this machine alone, with
    the key the set-up steps kept in the data folder."""
    if env["DJANGO_SETTINGS_MODULE"] == "dondoc.settings.production":
        return env
    return env | {
        "DJANGO_SETTINGS_MODULE": "dondoc.settings.production",
        "DONDOC_LOCAL_ONLY": "1",
        "DONDOC_SECRET_KEY_FILE": str(Path(env["DONDOC_DATA_DIR"]) / "secret_key"),
        "DONDOC_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


@contextmanager
def served(env: dict[str, str], *, with_worker: bool = True) -> Iterator[Served]:
    """The prepared folder served by `manage.py serve` on a free port (its console and access log in a file
    of the folder), stopped with a TERM as Ctrl-C stops `make run`."""
    accounts = prepare(env)
    address = f"127.0.0.1:{free_port()}"
    command = [sys.executable, "manage.py", "serve", "--address", address]
    if not with_worker:
        command.append("--no-worker")
    with (Path(env["DONDOC_DATA_DIR"]) / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=serving_environment(env), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://{address}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    # as the reverse proxy would ask, which the production settings expect
                    probe = urllib.request.Request(base + "/accounts/login/", headers=PROXY_HEADERS)
                    urllib.request.urlopen(probe, timeout=5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.3)
            yield Served(process, base, accounts)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def locust(
    server: Served, *, sessions: Path, arguments: list[str], behind_https: bool = False, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Locust in a child process on the simulation's files, headless, with the accounts of `server` signed in
    with `sessions` (SignedIn.sessions)."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "--headless",
        "--only-summary",
        "--host",
        server.base,
        "--accounts",
        str(server.accounts),
        "--sessions",
        str(sessions),
        *arguments,
    ]
    if behind_https:
        command.append("--behind-https")
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Every account logged in once: the file of their session cookies (locust's --sessions), and how long
    each log-in form took to answer."""

    sessions: Path
    milliseconds: list[float]
    seconds: float
    at_once: int


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def _cookies(headers: Message, into: dict[str, str]) -> None:
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        into[name.strip()] = rest.split(";", 1)[0]


def _log_in(base: str, username: str, password: str, *, behind_https: bool) -> tuple[dict[str, str], float]:
    """`username`'s session cookies after the log-in form, as a browser sends it, and the milliseconds the
    form took to answer (the password's hash is most of them)."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = dict(PROXY_HEADERS) if behind_https else {}
    cookies: dict[str, str] = {}
    with opener.open(urllib.request.Request(base + LOG_IN_PATH, headers=headers), timeout=60) as page:
        _cookies(page.headers, cookies)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read())
    if token is None:
        raise RuntimeError("the log-in page has no CSRF token")
    scheme = "https" if behind_https else "http"
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    started = time.perf_counter()
    try:
        opener.open(
            urllib.request.Request(
                base + LOG_IN_PATH,
                data=form,
                headers=headers
                | {
                    "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
                    "Referer": f"{scheme}://{base.split('://', 1)[1]}{LOG_IN_PATH}",
                },
            ),
            timeout=60,
        ).close()
        raise RuntimeError(f"{username} was not logged in: the form came back")
    # the redirect after logging in, which _NoRedirect leaves as an error to catch
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise RuntimeError(f"{username} was not logged in: {answer.code}") from None
        milliseconds = (time.perf_counter() - started) * 1000
        _cookies(answer.headers, cookies)
    return cookies, milliseconds


def sign_in_everyone(server: Served, *, behind_https: bool, at_once: int = LOG_IN_AT_ONCE) -> SignedIn:
    """Every account of the simulation logs in once through the log-in form, `at_once` at a time, as a
    province's people do when their working day begins (a session lasts the day); their cookies written
    beside the accounts for the simulated people, who then need not log in again."""
    accounts = json.loads(server.accounts.read_text(encoding="utf-8"))
    usernames = [
        *(body[kind] for body in accounts["bodies"] for kind in ("reporter", "leader")),
        *accounts["monitors"],
        *accounts["readers"],
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(at_once) as pool:
        done = list(
            pool.map(
                lambda username: _log_in(
                    server.base, username, accounts["password"], behind_https=behind_https
                ),
                usernames,
            )
        )
    seconds = time.perf_counter() - started
    sessions = server.accounts.with_name("load-sessions.json")
    sessions.write_text(
        json.dumps({username: cookies for username, (cookies, _ms) in zip(usernames, done, strict=True)}),
        encoding="utf-8",
    )
    return SignedIn(sessions, [milliseconds for _cookies, milliseconds in done], seconds, at_once)


def read_samples(path: Path) -> list[Sample]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        at, users, name, milliseconds, failure = line.split("\t")
        found.append(Sample(float(at), int(users), name, float(milliseconds), failure))
    return found


def _command_line(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes()).replace(b"\0", b" ").decode()
    except OSError:
        return ""


def resident_memory(server: Served) -> tuple[dict[int, float], list[float]]:
    """MB resident of each gunicorn worker (the children of gunicorn's master) by process id, and of the task
    worker."""
    web: dict[int, float] = {}
    task_worker: list[float] = []
    for child in children(server.process.pid):
        command = _command_line(child)
        if "gunicorn" in command:
            web |= {worker: resident_mb(worker) for worker in children(child)}
        elif "run_worker" in command:
            task_worker.append(resident_mb(child))
    return web, task_worker


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass
class Figures:
    """One database's run: the baseline's samples, each step's, the memory after the load."""

    label: str
    signed_in: SignedIn
    baseline: list[Sample]
    steps: dict[int, list[Sample]]
    step_seconds: dict[int, float]
    web_memory: list[float]
    task_worker_memory: list[float]
    # web workers gunicorn replaced during the load (`serve` recycles one after about 2,000 requests)
    web_replaced: int


def by_step(samples: list[Sample]) -> dict[int, list[Sample]]:
    """Each request counted in the step whose count of people is the smallest at or above those running."""
    counts = [users for users, _hold in STEPS]
    steps: dict[int, list[Sample]] = {users: [] for users in counts}
    for sample in samples:
        steps[next((users for users in counts if sample.users <= users), counts[-1])].append(sample)
    return steps


def step_seconds() -> dict[int, float]:
    seconds, before = {}, 0
    for users, hold in STEPS:
        seconds[users] = (users - before) / STEP_RATE + hold
        before = users
    return seconds


def measure(
    label: str, environment: Callable[[], AbstractContextManager[dict[str, str]]], *, behind_https: bool
) -> Figures:
    with environment() as env, served(env) as server:
        folder = Path(env["DONDOC_DATA_DIR"])
        signed_in = sign_in_everyone(server, behind_https=behind_https)
        locust(
            server,
            sessions=signed_in.sessions,
            arguments=[
                *("-f", USERS_FILE, "--one-of-each", "-u", "4", "-r", "4", "-t", f"{BASELINE_SECONDS}s"),
                *("--think", "1,1", "--samples", str(folder / "baseline.tsv")),
            ],
            behind_https=behind_https,
            timeout=BASELINE_SECONDS + 120,
        )
        before_load, _task_worker = resident_memory(server)
        total = sum(step_seconds().values())
        steps = ",".join(f"{users}:{hold}" for users, hold in STEPS)
        locust(
            server,
            sessions=signed_in.sessions,
            arguments=[
                *("-f", f"{USERS_FILE},{STEPS_FILE}", "--steps", steps, "--step-rate", str(STEP_RATE)),
                *("--think", THINK, "--samples", str(folder / "steps.tsv")),
            ],
            behind_https=behind_https,
            timeout=total + 180,
        )
        web, task_worker = resident_memory(server)
        replaced = len(set(web) - set(before_load))
        return Figures(
            label,
            signed_in,
            read_samples(folder / "baseline.tsv"),
            by_step(read_samples(folder / "steps.tsv")),
            step_seconds(),
            sorted(web.values()),
            task_worker,
            replaced,
        )


def _ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share):,.0f}"


def _megabytes(sizes: list[float]) -> str:
    return ", ".join(f"{size:.0f}" for size in sizes) + " MB"


def _kind_rows(figures: Figures) -> list[str]:
    top = figures.steps[STEPS[-1][0]]
    times: dict[str, list[float]] = defaultdict(list)
    failures: Counter[str] = Counter()
    for sample in top:
        times[sample.name].append(sample.milliseconds)
        failures[sample.name] += bool(sample.failure)
    baseline: dict[str, list[float]] = defaultdict(list)
    for sample in figures.baseline:
        baseline[sample.name].append(sample.milliseconds)
    rows = []
    for name in sorted(times, key=lambda name: -len(times[name])):
        alone = f"{statistics.median(baseline[name]):,.0f}" if baseline[name] else "–"
        rows.append(
            f"| {figures.label} | {name} | {len(times[name]):,} | {failures[name]} | {_ms(times[name], 0.5)} "
            f"| {_ms(times[name], 0.95)} | {_ms(times[name], 0.99)} | {alone} |"
        )
    everything = [sample.milliseconds for sample in top]
    alone_all = [sample.milliseconds for sample in figures.baseline]
    rows.append(
        f"| {figures.label} | **all** | {len(top):,} | {sum(failures.values())} | {_ms(everything, 0.5)} "
        f"| {_ms(everything, 0.95)} | {_ms(everything, 0.99)} "
        f"| {statistics.median(alone_all):,.0f} |"
    )
    return rows


def _step_rows(figures: Figures) -> tuple[list[str], str]:
    """A row per step, and where the p95 of the requests passes the limit."""
    rows, passed = [], ""
    before: tuple[int, float] | None = None
    for users, samples in figures.steps.items():
        times = [sample.milliseconds for sample in samples]
        rate = len(samples) / figures.step_seconds[users]
        p95 = percentile(times, 0.95)
        failed = sum(bool(sample.failure) for sample in samples)
        rows.append(
            f"| {figures.label} | {users} | {len(samples):,} | {rate:.1f} | {_ms(times, 0.5)} | {p95:,.0f} "
            f"| {_ms(times, 0.99)} | {failed} |"
        )
        if p95 > P95_LIMIT_MS and not passed:
            passed = f"{figures.label}: the p95 passes {P95_LIMIT_MS:.0f} ms " + (
                f"between {before[1]:.1f} req/s ({before[0]} people) and {rate:.1f} req/s ({users} people)."
                if before
                else f"at the first step already: {rate:.1f} req/s ({users} people)."
            )
        before = (users, rate)
    if not passed and before:
        passed = (
            f"{figures.label}: the p95 stays under {P95_LIMIT_MS:.0f} ms up to {before[0]} people "
            f"({before[1]:.1f} req/s)."
        )
    return rows, passed


def _log_in_row(figures: Figures) -> str:
    signed_in = figures.signed_in
    times = signed_in.milliseconds
    return (
        f"| {figures.label} | {len(times)} | {signed_in.at_once} | {signed_in.seconds:.1f} "
        f"| {len(times) / signed_in.seconds:.1f} | {_ms(times, 0.5)} | {_ms(times, 0.95)} "
        f"| {_ms(times, 0.99)} |"
    )


def _failure_lines(figures: Figures) -> list[str]:
    failures = Counter(
        sample.failure
        for samples in (figures.baseline, *figures.steps.values())
        for sample in samples
        if sample.failure
    )
    return [f"- {figures.label}, {count}×: {message}" for message, count in failures.most_common(12)]


def run() -> str:
    started = time.monotonic()
    runs = [measure("SQLite", sqlite_environment, behind_https=False)]
    if postgresql_available():
        runs.append(measure("PostgreSQL", postgresql_environment, behind_https=True))
    minutes = (time.monotonic() - started) / 60
    steps, thresholds, kinds, failures, memory = [], [], [], [], []
    log_ins = [_log_in_row(figures) for figures in runs]
    for figures in runs:
        rows, passed = _step_rows(figures)
        steps += rows
        thresholds.append(passed)
        kinds += _kind_rows(figures)
        failures += _failure_lines(figures)
        memory.append(
            f"| {figures.label} | {_megabytes(figures.web_memory)} | {figures.web_replaced} "
            f"| {_megabytes(figures.task_worker_memory)} |"
        )
    description = (
        (__doc__ or "")
        .split("\n\n", 1)[1]
        .format(
            monitors=MONITORS,
            readers=READERS,
            pg_database=PG_DATABASE,
            think="–".join(THINK.split(",")),
            steps=", ".join(f"{users} people for {hold} s" for users, hold in STEPS),
            rate=f"{STEP_RATE:g}",
            at_once=LOG_IN_AT_ONCE,
        )
    )
    return "\n".join(
        [
            "## Load: a province's reporting week (`benchmarks/load.py`)",
            "",
            *(" ".join(paragraph.split()) + "\n" for paragraph in description.split("\n\n")),
            "Logging in, before the load (each account once; milliseconds from sending the form to its "
            "redirect):",
            "",
            "| database | accounts | at once | seconds | log-ins/s | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|---|---|---|---|",
            *log_ins,
            "",
            "Each load step (requests/s over the step's ramp and hold, every request counted; milliseconds "
            "as locust saw them, pages and form posts alike):",
            "",
            "| database | people | requests | requests/s | p50 ms | p95 ms | p99 ms | failures |",
            "|---|---|---|---|---|---|---|---|",
            *steps,
            "",
            *(f"- {line}" for line in thresholds),
            "",
            f"At {STEPS[-1][0]} people, by kind of request (baseline: the median of the same request with "
            "one person of each kind on the idle server):",
            "",
            "| database | request | count | failures | p50 ms | p95 ms | p99 ms | baseline ms |",
            "|---|---|---|---|---|---|---|---|",
            *kinds,
            "",
            "Failures (target 0): none." if not failures else "Failures (target 0), by message:",
            *failures,
            "",
            "Resident memory after the load (target ≤ 120 MB a web worker):",
            "",
            "| database | each gunicorn worker | workers replaced during the load | the task worker |",
            "|---|---|---|---|",
            *memory,
            "",
            f"The whole run took {minutes:.1f} minutes.",
        ]
    )
