"""Read replicas: the dashboards and the report reads from a PostgreSQL streaming replica, everything else
from the primary (docs/deploying.md, "Read replicas").

Django's database router does the routing. A view marked `@reads_from_replica` reads from the replica for a
GET or HEAD, outside any transaction, and only when the replica answers and has replayed the user's own last
write: the primary's WAL position after each request that wrote is kept in the user's session and compared
with the replica's `pg_last_wal_replay_lsn()`. Other users may see the replica's slightly older data. A
replica that is down, lagging behind the user's write or missing the object asked for (404) sends the read
to the primary; every write goes to the primary. Without DONDOC_REPLICA_HOST there is no replica alias and
every query goes to the primary as before."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse

REPLICA = "replica"  # the database alias of the replica (settings.base)
# the primary's WAL position after the user's last write, in the session
WRITTEN_LSN_SESSION_KEY = "dondoc_written_lsn"
_REPLICA_METHODS = frozenset({"GET", "HEAD"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

logger = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., HttpResponse])

# the alias the current request reads from, set by `reads_from_replica` for the view's duration
_reading_from: ContextVar[str] = ContextVar("dondoc_reading_from", default=DEFAULT_DB_ALIAS)
# whether the current request wrote through the ORM (the router sees every write)
_wrote: ContextVar[bool] = ContextVar("dondoc_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Reads go to the replica only inside a view marked `reads_from_replica` that chose it, and never inside
    a transaction; writes always go to the primary (also for objects read from the replica)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if _reading_from.get() == REPLICA and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: an object read from either may refer to the other

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _replica_caught_up(request: HttpRequest) -> bool:
    """Whether the replica answers and has replayed the user's last write (any replica in recovery when the
    user has not written)."""
    session = getattr(request, "session", None)
    written = session.get(WRITTEN_LSN_SESSION_KEY, "0/0") if session is not None else "0/0"
    try:
        with connections[REPLICA].cursor() as cursor:
            # NULL when the server is not replaying (promoted): not a replica of this primary any more
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            row = cursor.fetchone()
    except (OperationalError, InterfaceError) as error:
        logger.warning("The read replica does not answer, reading from the primary: %s", error)
        connections[REPLICA].close()
        return False
    return bool(row and row[0])


def reads_from_replica(view: View) -> View:
    """Mark a reading page (a dashboard, a report download) as one that may read from the replica. Put it
    right above the function, under the page guard, so that the guard's reads (the session, the user, the
    scope) are the primary's: a log-in or a role given a moment ago is seen at once."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            request.method not in _REPLICA_METHODS
            or not replica_configured()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return view(request, *args, **kwargs)
        request.user.is_authenticated  # noqa: B018  (the session and the user, from the primary)
        if not _replica_caught_up(request):
            return view(request, *args, **kwargs)
        token = _reading_from.set(REPLICA)
        try:
            return view(request, *args, **kwargs)
        except Http404:
            # an object the replica has not replayed yet (a report the worker has just written): the primary
            _reading_from.set(DEFAULT_DB_ALIAS)
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            if connections[REPLICA].is_usable():
                raise
            logger.warning("The read replica went away during a request, reading from the primary")
            connections[REPLICA].close()
            _reading_from.set(DEFAULT_DB_ALIAS)
            return view(request, *args, **kwargs)
        finally:
            _reading_from.reset(token)

    return cast(View, wrapped)


class ReadYourWritesMiddleware:
    """After a request of a signed-in user that wrote, keep the primary's WAL position in the user's session,
    so that `reads_from_replica` sends that user's reads to the primary until the replica has replayed it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _wrote.set(False)
        try:
            response = self.get_response(request)
            wrote = _wrote.get() or request.method not in _SAFE_METHODS  # a raw SQL write passes no router
            if wrote and replica_configured() and request.user.is_authenticated:
                with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                    # the WAL written out, past every commit made so far (synchronous_commit, the default)
                    cursor.execute("SELECT pg_current_wal_lsn()::text")
                    row = cursor.fetchone()
                request.session[WRITTEN_LSN_SESSION_KEY] = row[0] if row else "0/0"
            return response
        finally:
            _wrote.reset(token)
