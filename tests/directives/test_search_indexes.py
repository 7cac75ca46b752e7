"""Search's trigram indexes on PostgreSQL: the queries search and the pickers make, as Django writes them
(`LIKE '%…%'` on the folded text), can be served by them; SQLite has none and scans."""

import pytest
from django.db import connection

from dondoc.directives.models import Directive, Task
from dondoc.directives.selectors import search_directives
from dondoc.registry.models import Organization
from dondoc.text import fold

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")

INDEXES = {"directive_search_trgm", "task_search_trgm", "organization_name_trgm", "organization_alias_trgm"}


def plan(queryset) -> str:
    """The plan PostgreSQL would choose if scanning a table whole were its last resort. Plain index scans are
    off too: walking another index whole (for the list's order) may cost as little on a table of a few rows,
    and a bitmap scan needs an index that serves the condition itself."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)])
        assert {name for (name,) in cursor.fetchall()} == INDEXES


@pytest.mark.django_db(transaction=False)
def test_search_s_queries_can_use_them():
    directives = search_directives(directives=Directive.objects.all(), query="Tổ chức bộ máy")
    assert "directive_search_trgm" in plan(directives)
    assert "task_search_trgm" in plan(Task.objects.filter(search_text__contains=fold("sắp xếp")))
    assert "organization_name_trgm" in plan(Organization.objects.filter(folded_name__contains=fold("Cư Jút")))
