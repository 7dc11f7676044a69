"""Generated GraphQL operations, sent as a signed-in teacher without key access, never reach a
server error, never show internal detail, and never show a record the teacher may not see.

hypothesis-graphql builds queries and mutations from ``graphql_api/schema.graphql`` (any root
field, any selection, arguments of every shape); ids are drawn from the school's real records
as well as from noise, so the operations aim at records that exist. Each operation runs in a
savepoint that is rolled back, so every one starts from the same school.

The reference model of what the teacher (Tess, no key access) may see:

- Pupils' names and tutor groups from the typeahead (``students(search)``): open to all staff
  by design, to find the child when adding an incident. Pupils on roll are therefore *not*
  secret here; a pupil who has left the roll is in no typeahead, so Leopold's name (linked
  only, in a record Tess may not see) appears nowhere she may look.
- The incident she holds an unread alert on (about Ottoline): all of it.
- Nothing of the incident about Barnaby (no alert): not its text, not its action, not its
  linked pupil Leopold.
- Nothing of the incident about Cressida any more: she was alerted and marked it read, after
  which it is gone for someone without key access.
- What she writes herself: a mutation that names Leopold's id (adding an incident about him,
  linking him) may show his name back to her, as its author.

So the canaries are the text and action of Barnaby's and Cressida's incidents, and Leopold's
names outside her own mutations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import graphql
import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from safeguarding.models import Alert, Category, Incident, Pupil, Staff
from safeguarding.permissions import Actor
from safeguarding.services.actions import ActionSpec, action_create
from safeguarding.services.incidents import IncidentSpec, LinkSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

SCHEMA = (django_settings.BASE_DIR / "graphql_api" / "schema.graphql").read_text()
OPERATIONS = 1000

VISIBLE_TEXT = "Ottoline said her brother shouts at night (visible-canary-1186)"
HIDDEN = {
    "Barnaby's incident text": "Marmalade-Wolverton-3391",
    "Barnaby's incident action": "Periwinkle-Ashdown-5520",
    "Cressida's incident text": "Quillfeather-Brandling-8847",
    "Cressida's incident action": "Tamarisk-Oddington-2264",
}
LEFT_PUPIL_NAMES = ("Leopold", "Marchbanks-Tyrrwhit", "Leo-Preferred")

# What an error message must never carry: a stack, source paths, SQL or driver text.
INTERNAL_DETAIL = re.compile(
    r"Traceback|File \"|\.py\b|psycopg|django\.|strawberry\.|SELECT |INSERT |UPDATE |"
    r"DETAIL:|IntegrityError|DataError|ProgrammingError|OperationalError|KeyError|"
    r"AttributeError|TypeError|ValueError|AssertionError|NoneType|object at 0x",
    re.IGNORECASE,
)


@dataclass
class Seeded:
    teacher: Staff
    leopold_ids: set[str]
    ids: list[str] = field(default_factory=list)


def seed() -> Seeded:
    dsl = Actor(f.dsl(), key_access=True)
    teacher = f.staff("Tess", "Teacher")
    ottoline = f.pupil("Ottoline", "Quennell", "7Q", year="Year 7")
    barnaby = f.pupil("Barnaby", "Ffoulkes", "8F", year="Year 8")
    cressida = f.pupil("Cressida", "Vantongeren", "9V", year="Year 9")
    leopold = f.pupil(
        "Leopold",
        "Marchbanks-Tyrrwhit",
        "8F",
        year="Year 8",
        preferred_first_name="Leo-Preferred",
        left_on=dt.date(2025, 7, 20),
    )
    categories = [Category.objects.get(name=name).pk for name in ("Bullying", "Child Protection")]

    def incident(
        pupil: Pupil, text: str, *, alert: bool, links: list[LinkSpec] | None = None
    ) -> Incident:
        return incident_create(
            actor=dsl,
            spec=IncidentSpec(
                pupil_id=pupil.pk,
                text=text,
                category_ids=categories,
                links=links or [],
                alert_staff_ids=[teacher.pk] if alert else [],
            ),
        )

    visible = incident(ottoline, VISIBLE_TEXT, alert=True)
    action_create(actor=dsl, spec=ActionSpec(incident_id=visible.pk, text="Phoned home"))
    hidden = incident(
        barnaby,
        f"Concern: {HIDDEN["Barnaby's incident text"]}",
        alert=False,
        links=[LinkSpec(pupil_id=leopold.pk)],
    )
    hidden_action = action_create(
        actor=dsl,
        spec=ActionSpec(
            incident_id=hidden.pk,
            text=f"Referred: {HIDDEN["Barnaby's incident action"]}",
            add_to_linked_pupils=True,
        ),
    )
    was_alerted = incident(cressida, f"Concern: {HIDDEN["Cressida's incident text"]}", alert=True)
    read_action = action_create(
        actor=dsl,
        spec=ActionSpec(
            incident_id=was_alerted.pk, text=f"Met: {HIDDEN["Cressida's incident action"]}"
        ),
    )
    read = Alert.objects.get(incident=was_alerted, recipient=teacher)
    read.read_at = dt.datetime.now(dt.UTC)
    read.save(update_fields=["read_at"])

    world = Seeded(
        teacher=teacher,
        leopold_ids={f.gid("Student", leopold.pk)},
    )
    records: list[tuple[str, int]] = [
        ("Incident", visible.pk),
        ("Incident", hidden.pk),
        ("Incident", was_alerted.pk),
        ("Action", hidden_action.pk),
        ("Action", read_action.pk),
        ("Student", ottoline.pk),
        ("Student", barnaby.pk),
        ("Student", cressida.pk),
        ("Student", leopold.pk),
        ("Staff", teacher.pk),
        ("Staff", dsl.staff.pk),
        *(("Alert", alert.pk) for alert in Alert.objects.all()),
        *(("Category", pk) for pk in categories),
    ]
    world.ids = [f.gid(kind, pk) for kind, pk in records]
    return world


def id_values(world: Seeded) -> st.SearchStrategy[graphql.ValueNode]:
    """Real ids of the school's records most of the time; otherwise noise."""
    real = st.sampled_from(world.ids)
    noise = st.one_of(st.text(max_size=30), st.integers(-5, 10**6).map(str))
    return st.one_of(real, real, noise).map(lambda value: graphql.StringValueNode(value=value))


def datetime_values() -> st.SearchStrategy[graphql.ValueNode]:
    moments = st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ).map(lambda moment: moment.isoformat())
    return st.one_of(moments, st.text(max_size=30)).map(
        lambda value: graphql.StringValueNode(value=value)
    )


def text_of(response: Any) -> str:
    return str(response.content.decode("utf-8", "replace"))


def check(document: str, response: Any, world: Seeded) -> None:
    assert response.status_code < 500, (document, response.status_code, text_of(response))
    body = response.json()
    for error in body.get("errors") or []:
        message = str(error.get("message", ""))
        # A masked error is an exception the API did not expect: a server error in disguise.
        assert message != "Unexpected error.", (document, body)
        assert not INTERNAL_DETAIL.search(message), (document, message)
    text = text_of(response)
    for what, canary in HIDDEN.items():
        assert canary not in text, (what, document, text)
    names_leopold = any(pupil_id in document for pupil_id in world.leopold_ids)
    if not (names_leopold and document.lstrip().startswith("mutation")):
        for name in LEFT_PUPIL_NAMES:
            assert name not in text, (name, document, text)


# Sign-in, re-authentication and password mutations hash a password (deliberately slow); the
# operations are about access and errors, not about the hash's cost.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_generated_operations_as_a_teacher(school_a: School) -> None:
    world = seed()
    client = f.signed_in(SchoolClient(school_a, raise_request_exception=False), world.teacher)
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    # The teacher's own view really has the visible record (so the model is not vacuous).
    seen = client.graphql("{ dashboard { alerts { incidentId } } }")["data"]["dashboard"]["alerts"]
    assert [alert["incidentId"] for alert in seen] == [world.ids[0]]
    sent: list[str] = []

    operations = from_schema(
        SCHEMA,
        custom_scalars={
            "ID": id_values(world),
            "DateTime": datetime_values(),
            # A file can only arrive as a multipart part; inline, any value is the client's error.
            "Upload": st.text(max_size=10).map(lambda value: graphql.StringValueNode(value=value)),
        },
    )

    @settings(
        max_examples=OPERATIONS,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(document=operations)
    def send(document: str) -> None:
        # A sign-out or password change in one operation must not carry into the next.
        client.cookies = SimpleCookie(cookies)
        with transaction.atomic():
            response = client.post(
                "/graphql", json.dumps({"query": document}), content_type="application/json"
            )
            transaction.set_rollback(True)
        sent.append(document)
        check(document, response, world)

    send()
    assert len(sent) >= OPERATIONS


@pytest.mark.parametrize("as_variable", [True, False], ids=["variable", "literal"])
def test_text_with_a_nul_character_is_the_clients_error(
    school_a: School, as_variable: bool
) -> None:
    """Found by the operations above: PostgreSQL refuses U+0000, so a search or an e-mail
    address carrying one was a masked server error."""
    client = f.signed_in(SchoolClient(school_a), f.staff("Tess", "Teacher"))
    if as_variable:
        result = client.graphql(
            "mutation($email: String!) { requestPasswordReset(email: $email) { ok } }",
            {"email": "tess\x00@alpha.example"},
        )
    else:
        result = client.graphql(
            '{ students(search: "Ott\\u0000") { edges { node { displayName } } } }'
        )
    assert result.get("data") is None
    assert [error["message"] for error in result["errors"]] == [
        "Text cannot contain the NUL character (U+0000)."
    ]
