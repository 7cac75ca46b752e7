"""Merging two provinces, timed on SQLite and on PostgreSQL: planning the whole program (target ≤ 2 s) and
committing it in one transaction (target ≤ 5 s).

Each backend runs in a child process (the settings choose the database when Django starts) on a database of
its own: a temporary SQLite file, and `dondoc_bench_reorganization` on the PostgreSQL server at
127.0.0.1:5432 when one answers as `dondoc` (created, then dropped). In each, two provinces are generated
alike, about 500 bodies each: the provincial Party committee, its standing board and boards, the People's
Council and Committee with their departments, the Front; in every district its Party committee and boards,
council, committee and offices; in every commune its Party committee, council, committee, Front and health
station. Every body has a head, two deputies and two staff posts, each held by one person, three functions,
two job positions and its quotas for two years; a limit of three deputies holds for provincial departments;
the departments of each province form a group; one published directive of ten tasks gives every body three
of them, counterparts of the two provinces sharing one, so that mergers fold shared tasks into one
assignment.

The program merges every body of the second province with its counterpart of the first (the same place in
the tree) into one new body under the merged parent: about 500 mergers of about 1,000 bodies, on one day.
(a) planning the program, `plan_reorganizations`, median of 3 runs; baseline: what the plans must read,
    bare: the posts, holders, functions, job positions and quotas of the bodies on the day and their open
    assignments, as `values()` lists;
(b) committing it, `commit_reorganizations` (which plans again inside its transaction to refuse a stale
    plan), median of 3 runs each rolled back; baseline: the rows it writes, bulk-inserted bare (no
    history, no checks) and the rows it ends closed with one UPDATE per table, also rolled back.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from benchmarks.web_pages import run_on_both_databases

BENCH_DATABASE = "dondoc_bench_reorganization"
EFFECTIVE = date(2025, 7, 1)
ISSUED = date(2025, 3, 10)
REPEAT = 3
DECISION = "Nghị quyết số 202/2025/QH15 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh (mẫu)"
# the two provinces (code, name) and the name of the merged one
PROVINCES = (("AH", "An Hòa"), ("BS", "Bình Sơn"))
MERGED = ("AB", "An Bình")
DISTRICTS = 8
COMMUNES = 10  # in each district
TASKS = 10
# a body: its code within its place, its name (formatted with the place), kind, the code of its parent there
# ("^" + code: the body of that code one level up)
PROVINCE_BODIES = (
    ("TU", "Tỉnh ủy {place}", "party_committee", ""),
    ("BTV", "Ban Thường vụ Tỉnh ủy {place}", "standing_board", "TU"),
    ("BTC", "Ban Tổ chức Tỉnh ủy {place}", "party_advisory_body", "TU"),
    ("BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy {place}", "party_advisory_body", "TU"),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy {place}", "inspection_commission", "TU"),
    ("VPTU", "Văn phòng Tỉnh ủy {place}", "party_advisory_body", "TU"),
    ("HDND", "Hội đồng nhân dân tỉnh {place}", "peoples_council", ""),
    ("UBND", "Ủy ban nhân dân tỉnh {place}", "peoples_committee", ""),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {place}", "fatherland_front", ""),
    ("SNV", "Sở Nội vụ tỉnh {place}", "department", "UBND"),
    ("STC", "Sở Tài chính tỉnh {place}", "department", "UBND"),
    ("SXD", "Sở Xây dựng tỉnh {place}", "department", "UBND"),
    ("SYT", "Sở Y tế tỉnh {place}", "department", "UBND"),
    ("SGDDT", "Sở Giáo dục và Đào tạo tỉnh {place}", "department", "UBND"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường tỉnh {place}", "department", "UBND"),
    ("SCT", "Sở Công Thương tỉnh {place}", "department", "UBND"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh {place}", "department", "UBND"),
    ("SKHCN", "Sở Khoa học và Công nghệ tỉnh {place}", "department", "UBND"),
    ("STP", "Sở Tư pháp tỉnh {place}", "department", "UBND"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo tỉnh {place}", "department", "UBND"),
    ("SNGV", "Sở Ngoại vụ tỉnh {place}", "department", "UBND"),
    ("TTR", "Thanh tra tỉnh {place}", "department", "UBND"),
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh {place}", "department", "UBND"),
)
DISTRICT_BODIES = (
    ("HU", "Huyện ủy {place}", "party_committee", "^TU"),
    ("BTV", "Ban Thường vụ Huyện ủy {place}", "standing_board", "HU"),
    ("BTC", "Ban Tổ chức Huyện ủy {place}", "party_advisory_body", "HU"),
    ("UBKT", "Ủy ban Kiểm tra Huyện ủy {place}", "inspection_commission", "HU"),
    ("HDND", "Hội đồng nhân dân huyện {place}", "peoples_council", "^HDND"),
    ("UBND", "Ủy ban nhân dân huyện {place}", "peoples_committee", "^UBND"),
    ("PNV", "Phòng Nội vụ huyện {place}", "department", "UBND"),
    ("PTCKH", "Phòng Tài chính – Kế hoạch huyện {place}", "department", "UBND"),
    ("PGDDT", "Phòng Giáo dục và Đào tạo huyện {place}", "department", "UBND"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện {place}", "fatherland_front", "^MTTQ"),
)
COMMUNE_BODIES = (
    ("DU", "Đảng ủy xã {place}", "party_committee", "^HU"),
    ("HDND", "Hội đồng nhân dân xã {place}", "peoples_council", "^HDND"),
    ("UBND", "Ủy ban nhân dân xã {place}", "peoples_committee", "^UBND"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam xã {place}", "fatherland_front", "^MTTQ"),
    ("TYT", "Trạm Y tế xã {place}", "public_service_unit", "UBND"),
)
# each body's posts: title, kind, how many
POSTS = (("Người đứng đầu", "head", 1), ("Cấp phó", "deputy", 2), ("Chuyên viên", "staff", 2))
FUNCTIONS = ("Tham mưu", "Tổ chức thực hiện", "Kiểm tra, giám sát")
JOB_POSITIONS = (("Lãnh đạo", "leadership"), ("Chuyên viên", "professional"))
QUOTA_YEARS = (2025, 2026)
# the first run of this benchmark, on 05/12/2026 (one run per figure, the machine busy), before the program
# was planned and committed set-based: each event's plan_reorganization, then each commit_reorganization in
# one transaction, a row at a time (commit e3b20ef)
FIRST_RUN = {
    "SQLite": {"plan": 3.16, "plan_queries": 5_533, "commit": 63.9, "commit_queries": 99_195},
    "PostgreSQL": {"plan": 5.72, "plan_queries": 5_533, "commit": 87.0, "commit_queries": 99_194},
}


def run() -> str:
    results, note = run_on_both_databases("benchmarks.reorganization", BENCH_DATABASE)
    return _markdown(results) + note


# --- the report ---------------------------------------------------------------------------------------------


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def _mark(met: bool) -> str:
    return "✅" if met else "❌"


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    first = results[names[0]]
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"

    def line(label: str, cell: Callable[[dict[str, Any]], str]) -> str:
        return f"| {label} | " + " | ".join(cell(results[name] | {"name": name}) for name in names) + " |\n"

    written = ", ".join(f"{count:,} {table}" for table, count in first["written"].items())
    return (
        "## Reorganisation: merging two provinces (`benchmarks/reorganization.py`)\n\n"
        f"Two generated provinces of {first['bodies_per_province']} bodies each (provincial, "
        f"{DISTRICTS} districts' and {DISTRICTS * COMMUNES} communes' bodies), each body with "
        f"{sum(n for _t, _k, n in POSTS)} posts and their holders, {len(FUNCTIONS)} functions, "
        f"{len(JOB_POSITIONS)} job positions, quotas for {len(QUOTA_YEARS)} years and 3 open assignments "
        f"of one published directive ({first['posts']:,} posts, {first['appointments']:,} appointments, "
        f"{first['assignments']:,} assignments in the two provinces). The program: {first['events']} "
        f"mergers, each of a body of the second province with its counterpart of the first into one new "
        f"body under the merged parent, effective {EFFECTIVE:%d/%m/%Y}, committed in one transaction "
        f"(writing {written}). Medians of {REPEAT} runs, every backend in the same run; each commit "
        "rolled back.\n\n"
        + head
        + line(
            "(a) planning the program (target ≤ 2 s)",
            lambda r: f"**{_s(r['plan'])}** {_mark(r['plan'] <= 2)} ({r['plan_queries']:,} queries)",
        )
        + line(
            "baseline: what the plans read, bare (`values()` of posts, holders, functions, job positions, "
            "quotas, open assignments)",
            lambda r: f"{_s(r['plan_bare'])} (planning takes {r['plan'] / r['plan_bare']:.0f}×)",
        )
        + line(
            "(b) committing it in one transaction (target ≤ 5 s)",
            lambda r: f"**{_s(r['commit'])}** {_mark(r['commit'] <= 5)} ({r['commit_queries']:,} queries)",
        )
        + line(
            "baseline: the same rows bulk-inserted bare and the ended ones closed by one UPDATE per table",
            lambda r: f"{_s(r['commit_bare'])} (the commit takes {r['commit'] / r['commit_bare']:.0f}×)",
        )
        + line(
            "first run, event by event (before `plan_reorganizations` and `commit_reorganizations`): "
            "planning; committing",
            lambda r: (
                f"{_s(FIRST_RUN[r['name']]['plan'])} ({FIRST_RUN[r['name']]['plan_queries']:,} queries); "
                f"{_s(FIRST_RUN[r['name']]['commit'])} ({FIRST_RUN[r['name']]['commit_queries']:,} queries)"
            ),
        )
    )


# --- the child: one backend --------------------------------------------------------------------------------


def _median(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _median_rolled_back(prepare: Callable[[], Any], action: Callable[[Any], object]) -> float:
    """Median time of `action(prepare())`, each run in a transaction rolled back after; `prepare` untimed."""
    from django.db import transaction

    times = []
    for _ in range(REPEAT):
        with transaction.atomic():
            prepared = prepare()
            started = time.perf_counter()
            action(prepared)
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(times)


@contextmanager
def _counting_queries() -> Iterator[list[int]]:
    """The number of queries run inside the block, in the list's one item (the test utilities keep only
    the last 9,000)."""
    from django.db import connection

    count = [0]

    def counted(execute: Callable[..., Any], *args: Any) -> Any:
        count[0] += 1
        return execute(*args)

    with connection.execute_wrapper(counted):
        yield count


def _places(code: str, name: str) -> list[tuple[str, str, str, str]]:
    """The province's places: (level, code, name, code of the place above), the province first."""
    places = [("province", code, name, "")]
    for district in range(1, DISTRICTS + 1):
        district_code = f"{code}-H{district}"
        places.append(("district", district_code, f"{name} {district}", code))
        places += [
            ("commune", f"{district_code}-X{commune}", f"{name} {district}.{commune}", district_code)
            for commune in range(1, COMMUNES + 1)
        ]
    return places


_BODIES = {"province": PROVINCE_BODIES, "district": DISTRICT_BODIES, "commune": COMMUNE_BODIES}
_JURISDICTION_KINDS = {"province": "province", "district": "district", "commune": "commune"}


def _province(code: str, name: str) -> list[Any]:
    """The province's territories and bodies, saved, each body with its posts, holders, functions, job
    positions and quotas; returns the bodies in tree order (parents first)."""
    from simple_history.utils import bulk_create_with_history

    from dondoc.registry.models import (
        Appointment,
        Function,
        JobPosition,
        Jurisdiction,
        Organization,
        Person,
        Post,
        StaffingQuota,
    )
    from dondoc.text import fold

    places = _places(code, name)
    territories: dict[str, Any] = {}
    for level, place_code, place_name, above in places:
        territories[place_code] = Jurisdiction.objects.create(
            code=place_code,
            name=place_name,
            kind=_JURISDICTION_KINDS[level],
            level=level,
            parent=territories.get(above),
        )
    bodies: dict[str, Any] = {}
    for level, place_code, place_name, above in places:
        rows = []
        for suffix, template, kind, parent in _BODIES[level]:
            parent_code = f"{above}.{parent[1:]}" if parent.startswith("^") else f"{place_code}.{parent}"
            body_name = template.format(place=place_name)
            rows.append(
                Organization(
                    code=f"{place_code}.{suffix}",
                    name=body_name,
                    folded_name=fold(body_name),
                    kind=kind,
                    level=level,
                    parent=bodies.get(parent_code) if parent else None,
                    jurisdiction=territories[place_code],
                )
            )
        for body in bulk_create_with_history(rows, Organization, default_change_reason="benchmark"):
            bodies[body.code] = body
    ordered = list(bodies.values())
    posts = [
        Post(organization=body, title=title, kind=kind)
        for body in ordered
        for title, kind, count in POSTS
        for _ in range(count)
    ]
    posts = bulk_create_with_history(posts, Post, batch_size=1000, default_change_reason="benchmark")
    people = Person.objects.bulk_create(
        [Person(full_name=f"Nguyễn Văn {code} {number}", is_sample=True) for number in range(len(posts))],
        batch_size=1000,
    )
    bulk_create_with_history(
        [Appointment(person=person, post=post) for person, post in zip(people, posts, strict=True)],
        Appointment,
        batch_size=1000,
        default_change_reason="benchmark",
    )
    bulk_create_with_history(
        [
            Function(organization=body, position=position, text=f"{text} về lĩnh vực của {body.name}")
            for body in ordered
            for position, text in enumerate(FUNCTIONS)
        ],
        Function,
        batch_size=1000,
        default_change_reason="benchmark",
    )
    bulk_create_with_history(
        [
            JobPosition(organization=body, name=job, group=group, is_sample=True)
            for body in ordered
            for job, group in JOB_POSITIONS
        ],
        JobPosition,
        batch_size=1000,
        default_change_reason="benchmark",
    )
    bulk_create_with_history(
        [
            StaffingQuota(organization=body, year=year, category="cadre_civil_servant", assigned=5)
            for body in ordered
            for year in QUOTA_YEARS
        ],
        StaffingQuota,
        batch_size=1000,
        default_change_reason="benchmark",
    )
    return ordered


def _directive(provinces: list[list[Any]]) -> int:
    """One published directive of TASKS tasks; every body gets three, counterparts sharing the first."""
    from simple_history.utils import bulk_create_with_history

    from dondoc.directives.models import Assignment, Directive, DirectiveState, Task

    directive = Directive.objects.create(
        issuer_text="BỘ CHÍNH TRỊ",
        number="35-KL/TW",
        type_code="KL",
        issued_on=ISSUED,
        subject="về sắp xếp tổ chức bộ máy của hệ thống chính trị (mẫu)",
        source_text="…",
        state=DirectiveState.PUBLISHED,
    )
    tasks = [
        Task.objects.create(directive=directive, position=position, text=f"Nhiệm vụ {position + 1}")
        for position in range(TASKS)
    ]
    assignments = [
        Assignment(task=tasks[(index + offset) % TASKS], organization=body, role=role)
        for province_number, bodies in enumerate(provinces)
        for index, body in enumerate(bodies)
        for offset, role in (
            (0, "lead"),
            (1 + province_number, "coordinating"),
            (5 + province_number, "lead"),
        )
    ]
    return len(bulk_create_with_history(assignments, Assignment, batch_size=1000))


def _merged_name(body: Any, first: tuple[str, str], second: Any) -> str:
    """The merged body's name: the first province's name becomes the merged one's; below the province,
    the two places' names are joined."""
    if body.level == "province":
        return body.name.replace(first[1], MERGED[1])
    return f"{body.name} – {second.jurisdiction.name}"


def _program(first: list[Any], second: list[Any]) -> list[Any]:
    """The requests: each body of the second province merged with its counterpart of the first into one
    new body whose parent is the merger of the parents."""
    from dondoc.registry.reorganization import NewBody, ReorganizationRequest

    counterparts = {body.code.replace(PROVINCES[1][0], PROVINCES[0][0], 1): body for body in second}
    merged: dict[int, Any] = {}
    requests = []
    for body in first:
        other = counterparts[body.code]
        new_body = NewBody(
            code=body.code.replace(PROVINCES[0][0], MERGED[0], 1),
            name=_merged_name(body, PROVINCES[0], other),
            kind=body.kind,
            level=body.level,
            parent=merged[body.parent_id] if body.parent_id else None,
            jurisdiction=body.jurisdiction,
        )
        merged[body.id] = new_body
        requests.append(
            ReorganizationRequest(
                kind="merge",
                originals=(body, other),
                effective_on=EFFECTIVE,
                decision=DECISION,
                new_bodies=(new_body,),
            )
        )
    return requests


def _bare_reads(ids: list[int]) -> None:
    """What the plans must read, as plain values lists: the bodies' posts and holders on the day, their
    functions, job positions and quotas, and their assignments (none reported yet: all open)."""
    from dondoc.directives.models import Assignment
    from dondoc.registry.models import Appointment, Function, JobPosition, Post, StaffingQuota

    list(
        Post.objects.as_of(EFFECTIVE).filter(organization_id__in=ids).values("id", "organization_id", "kind")
    )
    list(
        Appointment.objects.as_of(EFFECTIVE)
        .filter(post__organization_id__in=ids, post__valid_from__lte=EFFECTIVE, post__valid_to__gt=EFFECTIVE)
        .values("post_id", "person__full_name", "is_concurrent")
    )
    list(Function.objects.as_of(EFFECTIVE).filter(organization_id__in=ids).values("id", "organization_id"))
    list(JobPosition.objects.as_of(EFFECTIVE).filter(organization_id__in=ids).values("id", "organization_id"))
    list(StaffingQuota.objects.filter(organization_id__in=ids, year__gte=EFFECTIVE.year).values())
    list(Assignment.objects.filter(organization_id__in=ids).values("id", "task_id", "organization_id"))


def _bare_writes(requests: list[Any]) -> None:
    """The rows the commit writes, bare: the new bodies, copies of the posts, appointments, functions, job
    positions and quotas under them, bulk-inserted; the old rows ended by one UPDATE per table; the open
    assignments moved by one UPDATE."""
    from dondoc.directives.models import Assignment
    from dondoc.registry.models import (
        Appointment,
        Function,
        JobPosition,
        Organization,
        Post,
        StaffingQuota,
    )
    from dondoc.text import fold

    ids = [body.id for request in requests for body in request.originals]
    created = Organization.objects.bulk_create(
        [
            Organization(
                code=request.new_bodies[0].code,
                name=request.new_bodies[0].name,
                folded_name=fold(request.new_bodies[0].name),
                kind=request.new_bodies[0].kind,
                level=request.new_bodies[0].level,
                valid_from=EFFECTIVE,
            )
            for request in requests
        ],
        batch_size=1000,
    )
    target = {
        body.id: new.id for request, new in zip(requests, created, strict=True) for body in request.originals
    }
    Organization.objects.filter(id__in=ids).update(valid_to=EFFECTIVE)
    posts = list(Post.objects.as_of(EFFECTIVE).filter(organization_id__in=ids))
    new_posts = Post.objects.bulk_create(
        [
            Post(organization_id=target[p.organization_id], title=p.title, kind=p.kind, valid_from=EFFECTIVE)
            for p in posts
        ],
        batch_size=1000,
    )
    new_post = {old.id: new.id for old, new in zip(posts, new_posts, strict=True)}
    appointments = list(Appointment.objects.as_of(EFFECTIVE).filter(post_id__in=new_post))
    Appointment.objects.bulk_create(
        [
            Appointment(person_id=a.person_id, post_id=new_post[a.post_id], valid_from=EFFECTIVE)
            for a in appointments
        ],
        batch_size=1000,
    )
    Appointment.objects.filter(id__in=[a.id for a in appointments]).update(valid_to=EFFECTIVE)
    Post.objects.filter(id__in=new_post).update(valid_to=EFFECTIVE)
    functions = list(Function.objects.as_of(EFFECTIVE).filter(organization_id__in=ids))
    Function.objects.bulk_create(
        [
            Function(organization_id=target[f.organization_id], text=f.text, valid_from=EFFECTIVE)
            for f in functions
        ],
        batch_size=1000,
    )
    Function.objects.filter(id__in=[f.id for f in functions]).update(valid_to=EFFECTIVE)
    positions = list(JobPosition.objects.as_of(EFFECTIVE).filter(organization_id__in=ids))
    JobPosition.objects.bulk_create(
        [
            JobPosition(organization_id=target[j.organization_id], name=j.name, group=j.group)
            for j in positions
        ],
        batch_size=1000,
    )
    JobPosition.objects.filter(id__in=[j.id for j in positions]).update(valid_to=EFFECTIVE)
    StaffingQuota.objects.bulk_create(
        [
            StaffingQuota(organization=new, year=year, category="cadre_civil_servant", assigned=10)
            for new in created
            for year in QUOTA_YEARS
        ],
        batch_size=1000,
    )
    kept: dict[tuple[int, int], Any] = {}
    for assignment in Assignment.objects.filter(organization_id__in=ids).order_by("id"):
        assignment.organization_id = target[assignment.organization_id]
        kept.setdefault((assignment.organization_id, assignment.task_id), assignment)
    Assignment.objects.bulk_update(kept.values(), ["organization"], batch_size=1000)


def _plan(requests: list[Any]) -> list[Any]:
    from dondoc.registry.reorganization import plan_reorganizations

    return plan_reorganizations(requests)


def _commit(plans: list[Any]) -> None:
    from dondoc.registry.reorganization import commit_reorganizations

    commit_reorganizations(plans=plans, fingerprints=[plan.fingerprint for plan in plans])


def _rows_written(plans: list[Any]) -> dict[str, int]:
    """How many rows of each table the commit adds, counted inside a transaction rolled back after."""
    from django.db import transaction

    from dondoc.directives.models import AssignmentTransfer
    from dondoc.registry.models import Appointment, Function, JobPosition, Organization, Post

    tables = {
        "bodies": Organization,
        "posts": Post,
        "appointments": Appointment,
        "functions": Function,
        "job positions": JobPosition,
        "assignment transfers": AssignmentTransfer,
    }
    before = {name: model.objects.count() for name, model in tables.items()}
    with transaction.atomic():
        _commit(plans)
        after = {name: model.objects.count() for name, model in tables.items()}
        transaction.set_rollback(True)
    return {name: after[name] - before[name] for name in tables}


def child(backend: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from dondoc.directives.models import Assignment
    from dondoc.registry.models import Appointment, DeputyLimitRule, OrganizationGroup, Post

    settings.DONDOC_TODAY = EFFECTIVE
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    provinces = [_province(code, name) for code, name in PROVINCES]
    for (code, name), bodies in zip(PROVINCES, provinces, strict=True):
        group = OrganizationGroup.objects.create(code=f"{code}.SO", name=f"Các sở tỉnh {name}")
        group.members.set([body for body in bodies if body.kind == "department" and body.level == "province"])
    DeputyLimitRule.objects.create(
        name="Cấp phó sở",
        organization_kind="department",
        level="province",
        max_deputies=3,
        merger_grace_months=60,
        source="Nghị định 45/2025/NĐ-CP (mẫu)",
    )
    assignments = _directive(provinces)
    requests = _program(*provinces)
    ids = [body.id for request in requests for body in request.originals]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    result: dict[str, Any] = {
        "backend": backend,
        "bodies_per_province": len(provinces[0]),
        "events": len(requests),
        "posts": Post.objects.count(),
        "appointments": Appointment.objects.count(),
        "assignments": assignments,
    }
    assert Assignment.objects.count() == assignments

    # (a) planning
    with _counting_queries() as queries:
        plans = _plan(requests)
    result["plan_queries"] = queries[0]
    result["plan"] = _median(lambda: _plan(requests))
    result["plan_bare"] = _median(lambda: _bare_reads(ids))

    # (b) committing, rolled back each time
    result["written"] = _rows_written(plans)
    with _counting_queries() as queries, django.db.transaction.atomic():
        _commit(plans)
        django.db.transaction.set_rollback(True)
    result["commit_queries"] = queries[0]
    result["commit"] = _median_rolled_back(lambda: plans, _commit)
    result["commit_bare"] = _median_rolled_back(lambda: requests, _bare_writes)
    return result


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
