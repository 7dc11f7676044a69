"""Benchmarks of the records API against hand-written SQL. Prints ratios; asserts no time.

Seeds the school with 2,000 pupils and 50,000 incidents, then measures, each against
hand-written SQL fetching the same rows (run on the same connection, in the same run):
- ``dashboard`` with 50 unread alerts (goal: within 3x);
- ``students(search: "gre")``, a word-prefix search on the GIN index (goal: within 2x).

Each is timed two ways: through the whole stack (Django's test client posting to /graphql:
middleware, session and sign-in checks, GraphQL parsing, validation and execution, JSON), and
the selector alone (the read the resolver makes, as Python objects). A signed-in request that
reads nothing is timed as well: it is the fixed cost every request pays before its own work.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from safeguarding.models import Alert, Category, Incident, Pupil, Staff
from safeguarding.selectors.alerts import alerts_unread, my_history
from safeguarding.selectors.pupils import pupils_search
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

ROUNDS = 7
REPEATS = 20
FIRST = ["Hannah", "Gregory", "Grace", "Oliver", "Amelia", "Noah", "Isla", "Leo", "Mia", "Greta"]
LAST = ["Greenwood", "Smith", "Jones", "Taylor", "Brown", "Green", "Evans", "Walker", "Wright"]

DASHBOARD = """{ dashboard { unreadAlertCount
  alerts { id kind summary incidentId categories { name colour } student { id displayName }
           addedByName addedAt alertedByName alertedAt }
  myHistory { kind summary incidentId categories { name } addedAt } } }"""
STUDENTS = '{ students(search: "gre", first: 50) { edges { node { id displayName } } } }'

DASHBOARD_SQL = """
SELECT a.id, a.created_at, a.action_id, i.id, i.created_at, p.legal_first_name,
       p.legal_last_name, p.preferred_first_name, p.preferred_last_name, tg.name,
       author.first_name, author.last_name, sender.first_name, sender.last_name,
       (SELECT array_agg(json_build_object('id', c.id, 'name', c.name, 'colour', c.colour)
                         ORDER BY c."order", c.name)
          FROM safeguarding_incident_categories ic
          JOIN safeguarding_category c ON c.id = ic.category_id
         WHERE ic.incident_id = i.id)
  FROM safeguarding_alert a
  JOIN safeguarding_incident i ON i.id = a.incident_id
  JOIN safeguarding_pupil p ON p.id = i.pupil_id
  LEFT JOIN safeguarding_tutorgroup tg ON tg.id = p.tutor_group_id
  JOIN safeguarding_staff author ON author.id = i.author_id
  JOIN safeguarding_staff sender ON sender.id = a.alerted_by_id
 WHERE a.recipient_id = %s AND a.read_at IS NULL
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 51
"""
# "My History" for the same person: incidents and actions they added in the last 7 days.
HISTORY_SQL = """
SELECT h.kind, h.incident_id, h.added_at, p.legal_first_name, p.legal_last_name,
       p.preferred_first_name, p.preferred_last_name, tg.name,
       (SELECT array_agg(c.name ORDER BY c."order", c.name)
          FROM safeguarding_incident_categories ic
          JOIN safeguarding_category c ON c.id = ic.category_id
         WHERE ic.incident_id = h.incident_id)
  FROM (SELECT 'incident' AS kind, id AS incident_id, created_at AS added_at
          FROM safeguarding_incident
         WHERE author_id = %s AND created_at >= now() - '7 days'::interval
        UNION ALL
        SELECT 'action', incident_id, created_at
          FROM safeguarding_action
         WHERE author_id = %s AND created_at >= now() - '7 days'::interval
        ORDER BY added_at DESC LIMIT 50) h
  JOIN safeguarding_incident i ON i.id = h.incident_id
  JOIN safeguarding_pupil p ON p.id = i.pupil_id
  LEFT JOIN safeguarding_tutorgroup tg ON tg.id = p.tutor_group_id
 ORDER BY h.added_at DESC
"""
STUDENTS_SQL = """
SELECT p.id, p.legal_first_name, p.legal_last_name, p.preferred_first_name,
       p.preferred_last_name, tg.name
  FROM safeguarding_pupil p
  LEFT JOIN safeguarding_tutorgroup tg ON tg.id = p.tutor_group_id
 WHERE p.left_on IS NULL
   AND (p.search_vector @@ to_tsquery('simple', %s) OR upper(tg.name) = upper(%s))
 ORDER BY p.legal_last_name, p.legal_first_name, p.id
 LIMIT 51
"""


def _timed(fetch: Callable[[], object]) -> float:
    """Mean time of one call over REPEATS calls (after one call to warm up)."""
    fetch()
    started = time.perf_counter()
    for _ in range(REPEATS):
        fetch()
    return (time.perf_counter() - started) / REPEATS


def _seed(author: Staff) -> list[int]:
    rng = random.Random(7)
    groups = [
        f.tutor_group(f"{year}{letter}", f"Year {year}")
        for year in range(7, 12)
        for letter in "ABCD"
    ]
    Pupil.objects.bulk_create(
        Pupil(
            mis_id=f"BENCH-{n}",
            legal_first_name=rng.choice(FIRST),
            legal_last_name=rng.choice(LAST),
            tutor_group=groups[n % len(groups)],
            year_group=groups[n % len(groups)].year_group,
        )
        for n in range(2000)
    )
    pupil_ids = list(Pupil.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        (
            Incident(
                pupil_id=rng.choice(pupil_ids),
                author=author,
                text="Seeded concern",
                occurred_at=now,
            )
            for _ in range(50_000)
        ),
        batch_size=5000,
    )
    through = Incident.categories.through
    through.objects.bulk_create(
        (through(incident_id=i.pk, category_id=rng.choice(categories)) for i in incidents),
        batch_size=5000,
    )
    return [i.pk for i in incidents]


def test_dashboard_and_typeahead_against_raw_sql(fresh_school: School) -> None:
    dsl = f.dsl()
    wendy = f.staff("Wendy", "Abbott")
    incident_ids = _seed(dsl)
    Alert.objects.bulk_create(
        Alert(recipient=wendy, incident_id=pk, alerted_by=dsl) for pk in incident_ids[-50:]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = f.signed_in(SchoolClient(fresh_school), wendy)

    def api_dashboard() -> object:
        result = client.graphql(DASHBOARD)
        assert len(result["data"]["dashboard"]["alerts"]) == 50
        return result

    def raw_dashboard() -> object:
        with connection.cursor() as cursor:
            cursor.execute(DASHBOARD_SQL, [wendy.pk])
            rows = cursor.fetchall()
            cursor.execute(HISTORY_SQL, [wendy.pk, wendy.pk])
            history = cursor.fetchall()
        assert len(rows) == 50
        return rows, history

    def selector_dashboard() -> object:
        rows = alerts_unread(staff=wendy)[:51]
        assert len(rows) == 50
        return rows, my_history(staff=wendy, limit=50)

    def api_students() -> object:
        result = client.graphql(STUDENTS)
        assert len(result["data"]["students"]["edges"]) == 50
        return result

    def selector_students() -> object:
        return [p.display_name for p in pupils_search(search="gre")[:51]]

    def raw_students() -> object:
        with connection.cursor() as cursor:
            cursor.execute(STUDENTS_SQL, ["gre:*", "gre"])
            return cursor.fetchall()

    def api_nothing() -> object:
        return client.graphql("{ __typename }")

    figures: dict[str, list[float]] = {}
    # Interleaved rounds, so a burst of load on the shared machine hits every figure alike.
    for _ in range(ROUNDS):
        for name, fetch in (
            ("dashboard api", api_dashboard),
            ("dashboard selector", selector_dashboard),
            ("dashboard raw", raw_dashboard),
            ("students api", api_students),
            ("students selector", selector_students),
            ("students raw", raw_students),
            ("request", api_nothing),
        ):
            figures.setdefault(name, []).append(_timed(fetch))
    median = {name: statistics.median(times) for name, times in figures.items()}
    ms = {name: f"{value * 1000:.2f} ms" for name, value in median.items()}

    def ratio(name: str, raw: str) -> str:
        value = median[name] / median[raw]
        goal = 3 if name.startswith("dashboard") else 2
        return f"{value:.2f}x ({'meets' if value <= goal else 'misses'} the goal)"

    print()
    print(
        f"dashboard, 50 unread alerts among 50,000 incidents (goal: <= 3x raw SQL)\n"
        f"  raw SQL (alerts + my history, 2 hand-written queries): {ms['dashboard raw']}\n"
        f"  whole stack (HTTP /graphql, signed in):  {ms['dashboard api']}  "
        f"{ratio('dashboard api', 'dashboard raw')}\n"
        f"  selector alone (alerts + my history):    {ms['dashboard selector']}  "
        f"{ratio('dashboard selector', 'dashboard raw')}"
    )
    print(
        f'students(search: "gre"), 2,000 pupils, 50 shown (goal: <= 2x raw SQL)\n'
        f"  raw SQL (the indexed query):             {ms['students raw']}\n"
        f"  whole stack (HTTP /graphql, signed in):  {ms['students api']}  "
        f"{ratio('students api', 'students raw')}\n"
        f"  selector alone:                          {ms['students selector']}  "
        f"{ratio('students selector', 'students raw')}"
    )
    print(
        f"  a signed-in request reading nothing ({{ __typename }}): {ms['request']} "
        "(paid by both whole-stack figures)"
    )
