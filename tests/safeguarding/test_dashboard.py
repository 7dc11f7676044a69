"""The dashboard costs a constant, small number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.models import Category
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.incidents import IncidentSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

DASHBOARD = """{ dashboard { unreadAlertCount
  alerts { id kind summary incidentId categories { name colour }
           student { id displayName tutorGroup yearGroup }
           addedByName addedAt alertedByName alertedAt }
  myHistory { kind summary incidentId categories { name }
              student { displayName yearGroup } addedAt } } }"""


def data_queries(captured: CaptureQueriesContext) -> list[str]:
    # django-tenants re-sends SET search_path before each query; TENANT_LIMIT_SET_CALLS would
    # drop that but is unsafe (a rolled-back transaction can silently restore another
    # school's search_path), so those statements are the price of isolation, not of the API.
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")
    ]


def seed_alerts(count: int, recipient_id: int, author: Actor, pupils: list[int]) -> None:
    categories = [Category.objects.get(name=n).pk for n in ("Child Protection", "Home Issues")]
    for n in range(count):
        incident = incident_create(
            actor=author,
            spec=IncidentSpec(
                pupil_id=pupils[n % len(pupils)],
                text=f"Concern {n}",
                category_ids=categories[: 1 + n % 2],
                alert_staff_ids=[recipient_id] if n % 2 == 0 else [],
            ),
        )
        if n % 2:
            action_create(
                actor=author,
                spec=ActionSpec(
                    incident_id=incident.pk, text="Follow-up", alert_staff_ids=[recipient_id]
                ),
            )


def test_dashboard_with_50_unread_alerts_takes_at_most_6_queries(school_a: School) -> None:
    wendy = f.staff("Wendy", "Abbott")
    author = Actor(f.dsl(), key_access=True)
    pupils = [f.pupil(f"Pupil{n}", "Green", f"{n}A", year=f"Year {n + 7}").pk for n in range(5)]
    client = f.signed_in(SchoolClient(school_a), wendy)
    # Wendy's own history too: incidents and actions she added this week.
    wendy_actor = Actor(wendy, key_access=False)
    for n in range(3):
        incident_create(
            actor=wendy_actor,
            spec=IncidentSpec(
                pupil_id=pupils[n],
                text="Mine",
                category_ids=[Category.objects.get(name="Behaviour").pk],
                alert_staff_ids=[author.staff.pk],
            ),
        )

    seed_alerts(5, wendy.pk, author, pupils)
    # Warm the host-to-school cache so both measurements count the same kind of request.
    client.graphql("{ me { email } }")
    with CaptureQueriesContext(connection) as few:
        small = client.graphql(DASHBOARD)["data"]["dashboard"]
    assert small["unreadAlertCount"] == 5

    seed_alerts(45, wendy.pk, author, pupils)
    # Seeding can outlast the cache's few seconds on a busy machine: warm it again.
    client.graphql("{ me { email } }")
    with CaptureQueriesContext(connection) as many:
        dashboard = client.graphql(DASHBOARD)["data"]["dashboard"]
    assert dashboard["unreadAlertCount"] == 50
    assert len(dashboard["alerts"]) == 50
    assert len(dashboard["myHistory"]) == 3
    assert {a["kind"] for a in dashboard["alerts"]} == {"INCIDENT", "ACTION"}
    # The newest first: the last one seeded was an incident for the fifth pupil.
    assert dashboard["alerts"][0]["summary"] == (
        "Designated Safeguarding Lead added an incident for Pupil4 Green"
    )
    added = [a["alertedAt"] for a in dashboard["alerts"]]
    assert added == sorted(added, reverse=True)
    queries = data_queries(many)
    assert len(queries) <= 6, "\n".join(q[:150] for q in queries)
    assert len(queries) == len(data_queries(few))


def test_alerts_come_a_page_at_a_time_newest_first_and_name_who_added_the_action(
    school_a: School,
) -> None:
    wendy = f.staff("Wendy", "Abbott")
    author = Actor(f.dsl(), key_access=True)
    pupils = [f.pupil("Hannah", "Greenwood", "1B").pk]
    client = f.signed_in(SchoolClient(school_a), wendy)
    seed_alerts(5, wendy.pk, author, pupils)  # incidents 0, 2, 4; actions on 1 and 3
    page = """query($after: String) { alerts(first: 2, after: $after) {
      edges { node { id kind summary addedByName student { displayName } } }
      pageInfo { hasNextPage endCursor } } }"""

    seen: list[dict[str, object]] = []
    after = None
    while True:
        alerts = client.graphql(page, {"after": after})["data"]["alerts"]
        seen.extend(edge["node"] for edge in alerts["edges"])
        if not alerts["pageInfo"]["hasNextPage"]:
            break
        after = alerts["pageInfo"]["endCursor"]
    assert len(seen) == 5
    assert len({node["id"] for node in seen}) == 5
    assert [node["kind"] for node in seen] == [
        "INCIDENT",
        "ACTION",
        "INCIDENT",
        "ACTION",
        "INCIDENT",
    ]
    action = seen[1]
    assert action["summary"] == "Designated Safeguarding Lead added an action for Hannah Greenwood"
    assert action["addedByName"] == "Designated Safeguarding Lead"
    assert action["student"] == {"displayName": "Hannah Greenwood (1B)"}
