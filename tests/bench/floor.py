"""What a page costs at the least, measured in the same run as the page itself.

A page's floor is the sum of two things it cannot avoid: the round trip of a signed-in request
through the whole middleware stack to a view that does nothing (`signed_in_view`, served only by
the bench's own URLconf), and its own SQL replayed alone on a cursor, with no ORM, no Python and
no template around it. The ratio of the page to its floor says how much of its time is spent on
anything else; a page near 1× has little left to win without changing its queries.
"""

import statistics
import time
from dataclasses import dataclass, field

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import Client

from tests.bench.timing import REQUESTS, Summary, repeat

SIGNED_IN_VIEW_PATH = "/bench/signed-in/"
# Transaction control is the replay's own business, and a savepoint's name is only valid inside
# the request that made it.
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


def signed_in_view(request):
    """Nothing but the answer: everything before it is the middleware every page goes through,
    the sign-in and MFA checks included."""
    return HttpResponse("signed in")


class NoOneInRole(LookupError):
    pass


def person_in_role(role: str):
    """Someone active in the role who has an authenticator, as the middleware requires."""
    from agencies.models import User

    group = Group.objects.get(name=role)
    for person in User.objects.filter(groups=group, is_active=True).order_by("pk")[:50]:
        if is_mfa_enabled(person):
            return person
    raise NoOneInRole(f"No active person with an authenticator holds the role {role!r}")


def client_for(person) -> Client:
    """A browser session for the person, past the password and the second factor: the session
    is the one allauth leaves after both, so every request runs the full middleware stack."""
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(person)
    return client


@dataclass
class Statement:
    sql: str
    params: object
    many: bool
    milliseconds: float

    @property
    def reads(self) -> bool:
        return self.sql.lstrip().upper().startswith(("SELECT", "WITH"))


@dataclass
class Capture:
    statements: list[Statement] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(
                Statement(sql, params, many, (time.perf_counter() - started) * 1000)
            )


def capture_queries(action) -> list[Statement]:
    """Every statement the action sends, with its parameters exactly as sent (Django's
    CaptureQueriesContext keeps only the SQL with the values already quoted in)."""
    capture = Capture()
    with connection.execute_wrapper(capture):
        action()
    return [
        statement
        for statement in capture.statements
        if not statement.sql.lstrip().upper().startswith(_TRANSACTION_CONTROL)
    ]


def _execute(cursor, statement: Statement) -> None:
    if statement.many:
        cursor.executemany(statement.sql, statement.params)
    else:
        cursor.execute(statement.sql, statement.params)
    if cursor.description is not None:
        cursor.fetchall()


def replayable(statements: list[Statement]) -> list[Statement]:
    """The statements that can run again as they are: a write that may only happen once (the
    next link of the audit chain, at the sequence it already took) is left out of the replay,
    so the floor leans low and the ratio high rather than flattering the page."""
    kept = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in statements:
                try:
                    with transaction.atomic():
                        _execute(cursor, statement)
                except DatabaseError:
                    continue
                kept.append(statement)
        transaction.set_rollback(True)
    return kept


def replay(statements: list[Statement], runs: int = REQUESTS) -> list[float]:
    """Milliseconds to run the statements one after another, each run in a transaction rolled
    back at its end, so a write replayed leaves nothing behind."""

    def once():
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in statements:
                    _execute(cursor, statement)
            transaction.set_rollback(True)

    return repeat(once, runs=runs)


def _explained(options: str, statement: Statement) -> list[str]:
    """The lines of PostgreSQL's EXPLAIN with these options, inside a transaction rolled back,
    since with ANALYZE it executes the statement."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ({options}) " + statement.sql, statement.params)
            lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return lines


def explain(statement: Statement) -> str:
    """PostgreSQL's plan for the statement as it ran."""
    return "\n".join(_explained("ANALYZE, BUFFERS", statement))


def planning_milliseconds(statement: Statement, runs: int = 3) -> float:
    """PostgreSQL's own account of the time it takes to choose the statement's plan, the median
    of a few: EXPLAIN (SUMMARY) plans the statement without running it. The replay counts this
    time in the floor with the running, but no index shortens it; a statement joining many
    tables can take longer to plan than to run."""

    def once() -> float:
        summary = _explained("SUMMARY", statement)
        line = next(line for line in summary if line.startswith("Planning Time:"))
        return float(line.split()[2])

    return statistics.median(once() for _ in range(runs))


@dataclass(frozen=True)
class PageMeasurement:
    label: str
    url: str
    status: int
    page: Summary
    signed_in_view: Summary
    sql_replay: Summary
    statements: int
    statements_replayed: int
    slowest_statement: Statement | None
    reads: tuple[Statement, ...] = ()

    @property
    def floor_ms(self) -> float:
        return self.signed_in_view.median_ms + self.sql_replay.median_ms

    @property
    def ratio(self) -> float:
        return self.page.median_ms / self.floor_ms

    @property
    def p95_ratio(self) -> float:
        return self.page.p95_ms / self.floor_ms


class PageFailed(RuntimeError):
    pass


def measure_page(label: str, client: Client, url: str, runs: int = REQUESTS) -> PageMeasurement:
    """The page, the signed-in view for the same person, and the page's SQL alone, back to back
    so that all three see the same machine load and the same warm caches."""
    response = client.get(url)
    if response.status_code != 200:
        raise PageFailed(f"{label}: {url} answered {response.status_code}, not 200")
    page = repeat(lambda: client.get(url), runs=runs, warm_up=0)
    trivial = repeat(lambda: client.get(SIGNED_IN_VIEW_PATH), runs=runs)
    statements = capture_queries(lambda: client.get(url))
    kept = replayable(statements)
    return PageMeasurement(
        label=label,
        url=url,
        status=response.status_code,
        page=Summary.of(page),
        signed_in_view=Summary.of(trivial),
        sql_replay=Summary.of(replay(kept, runs=runs)),
        statements=len(statements),
        statements_replayed=len(kept),
        slowest_statement=max(
            (statement for statement in statements if statement.reads),
            key=lambda statement: statement.milliseconds,
            default=None,
        ),
        reads=tuple(statement for statement in kept if statement.reads),
    )
