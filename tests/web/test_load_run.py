"""The load test against `manage.py serve --no-worker` on SQLite: every account logs in once through the
log-in form, and with those sessions the simulated people (benchmarks/_load_users.py), one of each kind for a
few seconds, make every kind of request and none fails. Locust runs in a child process (benchmarks/load.py),
as the benchmark runs it; nothing here depends on how fast."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks.load import locust, served, sign_in_everyone, sqlite_environment

# what a reporter, a leader, a monitor and a reader do, by the names the requests are counted under
KINDS = {
    "inbox",
    "assignment page",
    "draft report with a file",
    "approve and send report",
    "dashboard",
    "overdue list",
    "directive grid",
    "follow-up by period",
    "directive list",
    "search",
}


def test_one_person_of_each_kind_makes_every_kind_of_request_without_a_failure():
    with sqlite_environment(compressed_static=False) as env, served(env, with_worker=False) as server:
        accounts = json.loads(server.accounts.read_text(encoding="utf-8"))
        signed_in = sign_in_everyone(server, behind_https=False, at_once=4)
        sessions = json.loads(signed_in.sessions.read_text(encoding="utf-8"))
        prefix = Path(env["DONDOC_DATA_DIR"]) / "locust"
        locust(
            server,
            sessions=signed_in.sessions,
            arguments=[
                *("-f", "benchmarks/_load_users.py", "--one-of-each", "-u", "4", "-r", "4", "-t", "10s"),
                *("--think", "0.2,0.5", "--csv", str(prefix)),
            ],
            timeout=90,
        )
        with (prefix.parent / "locust_stats.csv").open(encoding="utf-8") as file:
            rows = [row for row in csv.DictReader(file) if row["Name"] != "Aggregated"]
        failures = (prefix.parent / "locust_failures.csv").read_text(encoding="utf-8")

    everyone = {
        *(body[kind] for body in accounts["bodies"] for kind in ("reporter", "leader")),
        *accounts["monitors"],
        *accounts["readers"],
    }
    assert set(sessions) == everyone
    assert all(cookies.keys() == {"sessionid", "csrftoken"} for cookies in sessions.values())
    assert len(signed_in.milliseconds) == len(everyone)
    made = {row["Name"] for row in rows if int(row["Request Count"]) > 0}
    assert made == KINDS
    assert sum(int(row["Failure Count"]) for row in rows) == 0, failures
