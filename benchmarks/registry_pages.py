"""The registry's pages, timed on the server on SQLite and on PostgreSQL: the apparatus of 5,000 bodies as
of a date (target ≤ 200 ms) and a body's page (target ≤ 100 ms, as many queries whatever the body).

Each backend runs in a child process (the settings choose the database when Django starts) on a database of
its own: a temporary SQLite file, and `dondoc_bench_registry_pages` on the PostgreSQL server at
127.0.0.1:5432 when one answers as `dondoc` (created, then dropped). In each, the Đắk Nông sample registry is
loaded, the seed letter published (so that bodies have open assignments), and generated bodies bring the
province to 5,000 bodies on the day asked: at every commune a health station and three schools, then, hamlet
by hamlet across the communes, each hamlet's Party cell, Front working committee, women's, farmers' and youth
branches; besides, the branches of one hamlet per commune that ended in 2020 and of hamlets founded in 2024
(rows the date leaves out), and a few reorganisations committed in 2020–2022 through `plan_reorganization`
and `commit_reorganization` (Party cells merged, schools dissolved, schools renamed).

Through Django's test Client as the provincial monitor (middleware, session, access rules, queries,
template), median of 15 GETs after 3 warm-up ones:
(a) the apparatus as of the day (`registry:apparatus`); baseline: the same bodies read bare, the
    `Organization.objects.as_of(day)` values list the tree is built from;
(b) the page of a provincial department, of a district standing board and of a commune body
    (`registry:body`), each with the queries it makes, and the department's again with 40 more posts and
    their holders (rolled back after) to show that its queries do not grow with it; baseline: the body with
    its parent and territory and the holders of its posts on the day, read bare.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from benchmarks.web_pages import run_on_both_databases

BENCH_DATABASE = "dondoc_bench_registry_pages"
ON = date(2023, 4, 17)  # the seed letter's day
TODAY = date(2023, 7, 10)
WARM_UP, REPEAT = 3, 15
BODIES = 5_000
# the bodies whose pages are timed: a provincial department, a district standing board, a commune body
PAGE_BODIES = (
    ("department", "DNO.SNV"),
    ("district standing board", "CJU.BTV"),
    ("commune body", "GNG-NGHIA-DUC.UBND"),
)
# at every commune, under its People's Committee
COMMUNE_UNITS = (
    ("TYT", "Trạm Y tế {commune}"),
    ("MN", "Trường Mầm non {commune}"),
    ("TH", "Trường Tiểu học {commune}"),
    ("THCS", "Trường Trung học cơ sở {commune}"),
)
# at every hamlet: code, name, kind, the commune body above it
HAMLET_UNITS = (
    ("CB", "Chi bộ thôn {hamlet} {commune}", "internal_unit", "DU"),
    ("BCTMT", "Ban công tác Mặt trận thôn {hamlet} {commune}", "internal_unit", "MTTQ"),
    ("CHPN", "Chi hội Phụ nữ thôn {hamlet} {commune}", "socio_political_organization", "MTTQ"),
    ("CHND", "Chi hội Nông dân thôn {hamlet} {commune}", "socio_political_organization", "MTTQ"),
    ("CD", "Chi đoàn thôn {hamlet} {commune}", "socio_political_organization", "MTTQ"),
)
HAMLETS_MERGED_ON = date(2020, 1, 1)  # the hamlet mergers of 2019–2020
HAMLETS_FOUNDED_ON = date(2024, 1, 1)
MERGED_CELLS = 8  # communes whose cells of hamlets 1 and 2 merge (each: two bodies end, one begins)
DISSOLVED_SCHOOLS = 2  # kindergartens dissolved (each: one body ends)
RENAMED_SCHOOLS = 2  # primary schools become primary and lower-secondary schools (one ends, one begins)
GROWN_POSTS = 40  # posts, each with its holder, added to the department for a while: does its page ask more?
DECISION = "Nghị quyết số {number}/NQ-HĐND của Hội đồng nhân dân tỉnh Đắk Nông (mẫu)"


def run() -> str:
    results, note = run_on_both_databases("benchmarks.registry_pages", BENCH_DATABASE)
    return _markdown(results) + note


# --- the report ---------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _mark(met: bool) -> str:
    return "✅" if met else "❌"


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    first = results[names[0]]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"

    def line(label: str, cell: Any) -> str:
        return f"| {label} | " + " | ".join(cell(results[name]) for name in names) + " |\n"

    def page(position: int) -> Any:
        return lambda r: (
            f"**{_ms(r['bodies'][position]['page'])}** {_mark(r['bodies'][position]['page'] <= 0.1)} "
            f"({r['bodies'][position]['queries']} queries)"
        )

    def flat(r: dict[str, Any]) -> str:
        counts = [body["queries"] for body in r["bodies"]]
        return f"{_mark(len(set(counts)) == 1)} ({', '.join(map(str, counts))})"

    def slowest(r: dict[str, Any], key: str) -> dict[str, Any]:
        return max(r["bodies"], key=lambda body: body[key])

    body_rows = "".join(
        line(
            f"{body['name']} ({label}; {_count(body['posts'], 'post')}, "
            f"{_count(body['open_assignments'], 'open assignment')})",
            page(position),
        )
        for position, (label, body) in enumerate(
            zip((label for label, _code in PAGE_BODIES), first["bodies"], strict=True)
        )
    )
    return (
        "## Registry pages (`benchmarks/registry_pages.py`)\n\n"
        "Server-side times through Django's test Client as the provincial monitor (middleware, session, "
        f"access rules, queries, template), today fixed at {TODAY:%d/%m/%Y}, both pages asked for "
        f"{ON:%d/%m/%Y}; medians of {REPEAT} requests after {WARM_UP} warm-up ones, every backend in the "
        f"same run. Data: the Đắk Nông sample registry ({first['sample_bodies']} bodies of the province "
        f"on the day) and {first['generated']:,} generated bodies (commune health stations and schools, "
        f"hamlet Party cells and branches; {first['not_on_day']:,} of them ended before the day or begun "
        f"after it), {first['reorganizations']} reorganisations committed in 2020–2022 through "
        f"`commit_reorganization`: {first['organization_rows']:,} body rows in all.\n\n"
        f"**(a) The apparatus as of {ON:%d/%m/%Y}**: {first['tree_bodies']:,} bodies in the tree "
        f"({first['tree_kb']:.0f} kB of HTML):\n\n"
        + head
        + line(
            "`registry:apparatus` (target ≤ 200 ms)",
            lambda r: f"**{_ms(r['tree'])}** {_mark(r['tree'] <= 0.2)} ({r['tree_queries']} queries)",
        )
        + line("of which the tree's reads (`apparatus_reads.apparatus`)", lambda r: _ms(r["tree_reads"]))
        + line(
            "baseline: the same bodies, bare (`Organization.objects.as_of(day)` values list)",
            lambda r: f"{_ms(r['tree_bare'])} (the page takes {r['tree'] / r['tree_bare']:.0f}×)",
        )
        + f"\n**(b) A body's page as of {ON:%d/%m/%Y}** (target ≤ 100 ms with a flat query count: the same "
        "for every body, and not growing with what a body holds):\n\n"
        + head
        + body_rows
        + line(
            "of which the page's reads (`body_page` and open assignments), slowest body",
            lambda r: _ms(slowest(r, "reads")["reads"]),
        )
        + line(
            "baseline: the body with its parent and territory, and its posts' holders, bare (2 queries), "
            "slowest body",
            lambda r: (
                f"{_ms(slowest(r, 'bare')['bare'])} "
                f"(the pages take {min(b['page'] / b['bare'] for b in r['bodies']):.0f}–"
                f"{max(b['page'] / b['bare'] for b in r['bodies']):.0f}×)"
            ),
        )
        + line("the same number of queries for the three", flat)
        + line(
            f"{first['bodies'][0]['name']} with {GROWN_POSTS} more posts and their holders (rolled back)",
            lambda r: (
                f"{_ms(r['grown_page'])} ({r['grown_queries']} queries: "
                + (
                    f"unchanged {_mark(True)})"
                    if r["grown_queries"] == r["bodies"][0]["queries"]
                    else f"{r['grown_queries'] - r['bodies'][0]['queries']:+d} {_mark(False)})"
                )
            ),
        )
    )


# --- the child: one backend --------------------------------------------------------------------------------


def _median(read: Callable[[], object]) -> float:
    read()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        read()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _median_get(client: Any, url: str) -> tuple[float, int, Any]:
    """Median time of GET url, the number of queries it makes and one response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries), response


def _generated_bodies(current: int) -> tuple[list[Any], int]:
    """`current` bodies in existence on the day (the commune units first, then hamlet by hamlet across the
    communes), and the branches of hamlets that ended before it or began after it; returns the unsaved rows
    and how many of them the day leaves out."""
    from dondoc.registry.models import OPEN_END, OPEN_START, Jurisdiction, Level, Organization
    from dondoc.text import fold

    communes = list(Jurisdiction.objects.filter(level=Level.COMMUNE).order_by("code"))
    commune_bodies = {
        body.code: body
        for body in Organization.objects.filter(jurisdiction__in=communes, level=Level.COMMUNE)
    }

    def body(code: str, name: str, kind: str, commune: Any, above: str, start: date, end: date) -> Any:
        return Organization(
            code=code,
            name=name,
            folded_name=fold(name),
            kind=kind,
            level=Level.COMMUNE,
            parent=commune_bodies[f"{commune.code}.{above}"],
            jurisdiction=commune,
            valid_from=start,
            valid_to=end,
        )

    def hamlet(commune: Any, number: int, start: date, end: date) -> list[Any]:
        return [
            body(
                f"{commune.code}.{code}{number}",
                name.format(hamlet=number, commune=commune.name),
                kind,
                commune,
                above,
                start,
                end,
            )
            for code, name, kind, above in HAMLET_UNITS
        ]

    rows = [
        body(
            f"{commune.code}.{code}",
            name.format(commune=commune.name),
            "public_service_unit",
            commune,
            "UBND",
            OPEN_START,
            OPEN_END,
        )
        for code, name in COMMUNE_UNITS
        for commune in communes
    ]
    number = 0
    while len(rows) < current:
        number += 1
        rows += [row for commune in communes for row in hamlet(commune, number, OPEN_START, OPEN_END)]
    rows = rows[:current]
    gone = [row for commune in communes for row in hamlet(commune, 90, OPEN_START, HAMLETS_MERGED_ON)]
    founded = [row for commune in communes[::3] for row in hamlet(commune, 91, HAMLETS_FOUNDED_ON, OPEN_END)]
    return rows + gone + founded, len(gone) + len(founded)


def _reorganize() -> int:
    """The reorganisations of 2020–2022, planned and committed as a user would; returns how many."""
    from dondoc.registry.models import Jurisdiction, Level, Organization, ReorganizationKind
    from dondoc.registry.reorganization import NewBody, commit_reorganization, plan_reorganization

    communes = list(Jurisdiction.objects.filter(level=Level.COMMUNE).order_by("code"))
    done = 0
    for commune in communes[:MERGED_CELLS]:
        cells = list(Organization.objects.filter(code__in=[f"{commune.code}.CB1", f"{commune.code}.CB2"]))
        merged = NewBody(
            code=f"{commune.code}.CB1-2",
            name=f"Chi bộ thôn 1-2 {commune.name}",
            kind=cells[0].kind,
            level=Level.COMMUNE,
            parent=cells[0].parent,
            jurisdiction=commune,
        )
        plan = plan_reorganization(
            kind=ReorganizationKind.MERGE,
            originals=cells,
            effective_on=HAMLETS_MERGED_ON,
            decision=DECISION.format(number=100 + done),
            new_bodies=[merged],
        )
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
        done += 1
    for commune in communes[-DISSOLVED_SCHOOLS:]:
        school = Organization.objects.get(code=f"{commune.code}.MN")
        plan = plan_reorganization(
            kind=ReorganizationKind.DISSOLVE,
            originals=[school],
            effective_on=date(2021, 8, 1),
            decision=DECISION.format(number=100 + done),
        )
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
        done += 1
    for commune in communes[MERGED_CELLS : MERGED_CELLS + RENAMED_SCHOOLS]:
        school = Organization.objects.get(code=f"{commune.code}.TH")
        renamed = NewBody(
            code=f"{commune.code}.THTHCS",
            name=f"Trường Tiểu học và Trung học cơ sở {commune.name}",
            kind=school.kind,
            level=Level.COMMUNE,
            parent=school.parent,
            jurisdiction=commune,
        )
        plan = plan_reorganization(
            kind=ReorganizationKind.RENAME,
            originals=[school],
            effective_on=date(2022, 8, 15),
            decision=DECISION.format(number=100 + done),
            new_bodies=[renamed],
        )
        commit_reorganization(plan=plan, fingerprint=plan.fingerprint)
        done += 1
    return done


def _grown_page(client: Any, body: Any) -> tuple[float, int]:
    """The body's page with GROWN_POSTS more posts and their holders, in a transaction rolled back after: its
    median time and number of queries."""
    from django.db import transaction

    from dondoc.registry.models import Appointment, Person, Post, PostKind

    with transaction.atomic():
        people = Person.objects.bulk_create(
            [Person(full_name=f"Trần Thị {n}", is_sample=True) for n in range(GROWN_POSTS)]
        )
        posts = Post.objects.bulk_create(
            [Post(organization=body, title="Chuyên viên", kind=PostKind.STAFF) for _ in range(GROWN_POSTS)]
        )
        Appointment.objects.bulk_create(
            [Appointment(person=person, post=post) for person, post in zip(people, posts, strict=True)]
        )
        page, queries, _response = _median_get(client, f"/registry/bodies/{body.pk}/?on={ON:%d/%m/%Y}")
        transaction.set_rollback(True)
    return page, queries


def _page_reads(body: Any) -> None:
    """What the body's page reads, without the request and the template."""
    from dondoc.registry.body_reads import body_page
    from dondoc.registry.hooks import open_assignments

    body_page(body=body, on=ON)
    open_assignments(organization_id=body.id, on=ON)


def _bare_body(pk: int) -> None:
    """The body with its parent and territory, and the holders of its posts on the day: two plain queries."""
    from dondoc.registry.models import Appointment, Organization

    Organization.objects.select_related("parent", "jurisdiction").get(pk=pk)
    list(
        Appointment.objects.as_of(ON)
        .filter(post__organization_id=pk, post__valid_from__lte=ON, post__valid_to__gt=ON)
        .values_list("post__title", "person__full_name")
    )


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from simple_history.utils import bulk_create_with_history

    from benchmarks import publishing
    from dondoc.accounts.models import Role
    from dondoc.accounts.scope import build_scope
    from dondoc.accounts.services import create_member
    from dondoc.directives.services import create_draft, publish_directive
    from dondoc.parsing import parse_text
    from dondoc.reading import read_document
    from dondoc.registry.apparatus_reads import apparatus
    from dondoc.registry.models import Jurisdiction, Organization
    from dondoc.registry.sample import load_sample_registry

    setup_test_environment()  # the test Client's hosts, and no e-mail leaves
    settings.DONDOC_TODAY = TODAY
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    load_sample_registry()
    text = read_document(publishing.SEED).text
    publish_directive(
        directive=create_draft(parsed=parse_text(text), source_text=text), decisions=publishing.decisions()
    )
    monitor = create_member(
        username="bench-monitor",
        password="x" * 16,
        role=Role.MONITOR,
        organization=Organization.objects.get(code="DNO.BTCTU"),
        jurisdiction=Jurisdiction.objects.get(code="DNO"),
    )
    monitor_scope = build_scope(user=monitor)
    assert monitor_scope is not None
    territories = monitor_scope.territory_ids

    def in_scope_on_day() -> Any:
        bodies = Organization.objects.as_of(ON).filter(outside_jurisdiction=False)
        return bodies if territories is None else bodies.filter(jurisdiction_id__in=territories)

    sample_bodies = in_scope_on_day().count()
    # every merger of two cells and every dissolution leaves one body fewer on the day
    rows, not_on_day = _generated_bodies(BODIES - sample_bodies + MERGED_CELLS + DISSOLVED_SCHOOLS)
    bulk_create_with_history(rows, Organization, batch_size=500, default_change_reason="benchmark")
    reorganizations = _reorganize()
    tree_bodies = in_scope_on_day().count()
    assert tree_bodies == BODIES, tree_bodies
    result: dict[str, Any] = {
        "backend": backend,
        "sample_bodies": sample_bodies,
        "generated": len(rows),
        "not_on_day": not_on_day,
        "reorganizations": reorganizations,
        "organization_rows": Organization.objects.count(),
    }
    client = Client()
    client.force_login(monitor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    # (a) the apparatus as of the day
    result["tree"], result["tree_queries"], response = _median_get(client, f"/registry/?on={ON:%d/%m/%Y}")
    result["tree_bodies"] = response.context["total"]
    assert result["tree_bodies"] == BODIES, result["tree_bodies"]
    result["tree_kb"] = len(response.content) / 1024
    result["tree_reads"] = _median(lambda: apparatus(on=ON, territory_ids=territories))
    result["tree_bare"] = _median(
        lambda: list(
            in_scope_on_day().values_list(
                "id", "name", "kind", "level", "parent_id", "jurisdiction_id", "folded_name"
            )
        )
    )

    # (b) three bodies' pages
    result["bodies"] = []
    for _label, code in PAGE_BODIES:
        found = Organization.objects.select_related("parent", "jurisdiction").get(code=code)
        page, queries, response = _median_get(client, f"/registry/bodies/{found.pk}/?on={ON:%d/%m/%Y}")
        result["bodies"].append(
            {
                "name": found.name,
                "page": page,
                "queries": queries,
                "posts": len(response.context["page"].posts),
                "open_assignments": len(response.context["open_assignments"]),
                "reads": _median(partial(_page_reads, found)),
                "bare": _median(partial(_bare_body, found.pk)),
            }
        )
    result["grown_page"], result["grown_queries"] = _grown_page(
        client, Organization.objects.get(code=PAGE_BODIES[0][1])
    )
    return result


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
