"""Benchmarks of the records API against hand-written SQL. Prints ratios; asserts no time.

Seeds the school with 2,000 pupils and 50,000 incidents, then measures:
- ``dashboard`` with 50 unread alerts against one hand-written SQL query of the same rows
  (goal: within 3x);
- ``students(search: "gre")`` against the raw indexed SQL query (goal: within 2x).
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


def _best(fetch: Callable[[], object]) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REPEATS):
            fetch()
        timings.append((time.perf_counter() - started) / REPEATS)
    return statistics.median(timings)


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


def test_dashboard_and_typeahead_against_raw_sql(school_a: School) -> None:
    dsl = f.dsl()
    wendy = f.staff("Wendy", "Abbott")
    incident_ids = _seed(dsl)
    Alert.objects.bulk_create(
        Alert(recipient=wendy, incident_id=pk, alerted_by=dsl) for pk in incident_ids[-50:]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = f.signed_in(SchoolClient(school_a), wendy)

    def api_dashboard() -> object:
        result = client.graphql(DASHBOARD)
        assert len(result["data"]["dashboard"]["alerts"]) == 50
        return result

    def raw_dashboard() -> object:
        with connection.cursor() as cursor:
            cursor.execute(DASHBOARD_SQL, [wendy.pk])
            rows = cursor.fetchall()
        assert len(rows) == 50
        return rows

    def selector_dashboard() -> object:
        rows = list(alerts_unread(staff=wendy)[:51])
        assert len(rows) == 50
        return rows, my_history(staff=wendy, limit=50)

    def api_students() -> object:
        return client.graphql(STUDENTS)

    def selector_students() -> object:
        return [p.display_name for p in pupils_search(search="gre")[:51]]

    def raw_students() -> object:
        with connection.cursor() as cursor:
            cursor.execute(STUDENTS_SQL, ["gre:*", "gre"])
            return cursor.fetchall()

    dashboard_api, dashboard_raw = _best(api_dashboard), _best(raw_dashboard)
    dashboard_selector = _best(selector_dashboard)
    # Where the selector's time goes: the alert rows, and the two "My History" queries.
    alerts_only = _best(lambda: list(alerts_unread(staff=wendy)[:51]))
    history_only = _best(lambda: my_history(staff=wendy, limit=50))
    students_api, students_selector, students_raw = (
        _best(api_students),
        _best(selector_students),
        _best(raw_students),
    )
    print()
    print(
        f"dashboard (50 unread alerts, 50,000 incidents): API {dashboard_api * 1000:.2f} ms, "
        f"selector {dashboard_selector * 1000:.2f} ms, raw SQL {dashboard_raw * 1000:.2f} ms, "
        f"API ratio {dashboard_api / dashboard_raw:.2f}x, selector ratio "
        f"{dashboard_selector / dashboard_raw:.2f}x (goal <= 3x); selector split: alerts "
        f"{alerts_only * 1000:.2f} ms, my history {history_only * 1000:.2f} ms"
    )
    print(
        f'students(search: "gre") over 2,000 pupils: API {students_api * 1000:.2f} ms, '
        f"selector {students_selector * 1000:.2f} ms, raw SQL {students_raw * 1000:.2f} ms, "
        f"API ratio {students_api / students_raw:.2f}x, selector ratio "
        f"{students_selector / students_raw:.2f}x (goal <= 2x)"
    )
