"""What each person can fetch through the API equals a small reference model of who should see what,
and what each of them sees of it: the main record or a linked pupil's copy, with its pupil,
categories, linked pupils (and their categories) and actions.

Hypothesis builds a school step by step: access levels with random grants and year/tutor group
limits, staff (key holder or not, second factor passed or not), incidents in random categories
on random pupils with linked pupils and alerts, reads, actions and mark-as-read. After every
step each person asks the API for every incident and pupil, and the answers must match
``expected_incident`` / ``expected_student`` below, which restate the rules from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from strawberry import relay

from graphql_api.ids import decode_id
from safeguarding.models import AccessLevel, AccessLevelGrant, Alert, Category, Incident, Staff
from safeguarding.permissions import Actor, can_view_incident
from safeguarding.selectors.incidents import with_detail
from safeguarding.services.incidents import IncidentSpec, LinkSpec, incident_create
from tenants.models import School
from tests.conftest import SchoolClient
from tests.safeguarding import factories as f

CATEGORIES = ("Behaviour", "Child Protection", "Prevent")
DSL_ONLY = "Prevent"
PERMS = ("view_pupils", "view_incidents", "add_incidents")
MAX_INCIDENTS = 10


@dataclass
class RefLevel:
    grants: dict[str, set[str]]
    years: set[str]
    tutors: set[str]
    dsl_team: bool


@dataclass
class RefPupil:
    pk: int
    year: str
    tutor: str


@dataclass
class RefStaff:
    pk: int
    client: SchoolClient
    key_holder: bool
    verified: bool
    level: RefLevel | None


@dataclass
class RefIncident:
    pk: int
    records: list[tuple[RefPupil, set[str]]]  # main pupil first, then each link
    # (text, added to linked students), oldest first.
    actions: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class RefAlert:
    pk: int
    recipient: int
    incident: int
    read: bool = False


@dataclass
class World:
    pupils: list[RefPupil] = field(default_factory=list)
    staff: list[RefStaff] = field(default_factory=list)
    incidents: list[RefIncident] = field(default_factory=list)
    alerts: list[RefAlert] = field(default_factory=list)


def _alerted(world: World, person: RefStaff, incident: RefIncident) -> bool:
    return any(
        a.recipient == person.pk and a.incident == incident.pk and not a.read for a in world.alerts
    )


def _record_visible(person: RefStaff, pupil: RefPupil, categories: set[str]) -> bool:
    level = person.level
    if not (person.key_holder and person.verified) or level is None:
        return False
    if level.years and pupil.year not in level.years:
        return False
    if level.tutors and pupil.tutor not in level.tutors:
        return False
    if DSL_ONLY in categories and not level.dsl_team:
        return False
    return any("view_incidents" in level.grants.get(c, set()) for c in categories)


def expected_record(
    world: World, person: RefStaff, incident: RefIncident, pupil: RefPupil | None = None
) -> int | None:
    """Which record the person sees (0: the main record, n: the n-th link's copy), or None.
    With ``pupil``: the record on that pupil's chronology."""
    alerted = _alerted(world, person, incident)
    main_pupil, main_categories = incident.records[0]
    if pupil is None or pupil.pk == main_pupil.pk:
        if alerted or _record_visible(person, main_pupil, main_categories):
            return 0
        if pupil is not None:
            return None
        return next(
            (n for n, rec in enumerate(incident.records) if n and _record_visible(person, *rec)),
            None,
        )
    for n, (linked, categories) in enumerate(incident.records):
        if n and linked.pk == pupil.pk and (alerted or _record_visible(person, linked, categories)):
            return n
    return None


def expected_incident(world: World, person: RefStaff, incident: RefIncident) -> bool:
    return expected_record(world, person, incident) is not None


def expected_view(world: World, person: RefStaff, incident: RefIncident, record: int) -> Any:
    """The content of a record as the API must show it, in the shape ``_view`` reads."""
    pupil, categories = incident.records[record]
    if record == 0:
        alerted = _alerted(world, person, incident)
        linked = sorted(
            (p.pk, tuple(sorted(c)) if alerted or _record_visible(person, p, c) else ())
            for p, c in incident.records[1:]
        )
        actions = [text for text, _ in incident.actions]
    else:
        linked = []
        actions = [text for text, to_linked in incident.actions if to_linked]
    return (record != 0, pupil.pk, tuple(sorted(categories)), linked, actions)


VIEW_FIELDS = (
    "isLinkedCopy student { id } categories { name } "
    "linkedStudents { student { id } categories { name } } actions { text }"
)


def _pupil_key(value: str) -> int:
    return decode_id(relay.GlobalID.from_id(value), "Student") or 0


def _view(node: dict[str, Any]) -> Any:
    return (
        node["isLinkedCopy"],
        _pupil_key(node["student"]["id"]),
        tuple(sorted(c["name"] for c in node["categories"])),
        sorted(
            (
                _pupil_key(link["student"]["id"]),
                tuple(sorted(c["name"] for c in link["categories"])),
            )
            for link in node["linkedStudents"]
        ),
        [a["text"] for a in node["actions"]],
    )


def expected_student(person: RefStaff, pupil: RefPupil) -> bool:
    level = person.level
    if not (person.key_holder and person.verified) or level is None:
        return False
    if level.years and pupil.year not in level.years:
        return False
    if level.tutors and pupil.tutor not in level.tutors:
        return False
    return any("view_pupils" in perms for perms in level.grants.values())


grants_strategy = st.dictionaries(
    st.sampled_from(CATEGORIES), st.sets(st.sampled_from(PERMS)), max_size=len(CATEGORIES)
)
category_sets = st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=3)


def make_machine(school: School) -> type[RuleBasedStateMachine]:
    class AccessMachine(RuleBasedStateMachine):
        levels = Bundle("levels")
        people = Bundle("people")
        # How many times the visibility check compared people's views (must be many).
        comparisons: ClassVar[list[int]] = [0]

        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.savepoint_create()
            self.world = World()
            Category.objects.filter(name=DSL_ONLY).update(dsl_team_only=True)
            self.categories = {c.name: c for c in Category.objects.filter(name__in=CATEGORIES)}
            for first, group, year in (
                ("Ava", "7A", "Year 7"),
                ("Ben", "7B", "Year 7"),
                ("Cara", "8A", "Year 8"),
            ):
                pupil = f.pupil(first, "Stateful", group, year=year)
                self.world.pupils.append(RefPupil(pupil.pk, year, group))
            self.author = Actor(f.dsl(), key_access=True)

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        @initialize(
            target=people,
            grants=grants_strategy,
            years=st.sets(st.sampled_from(("Year 7", "Year 8")), max_size=1),
            tutors=st.sets(st.sampled_from(("7A", "7B", "8A")), max_size=2),
            dsl_team=st.booleans(),
            other_grants=grants_strategy,
        )
        def start_with_verified_key_holders(
            self,
            grants: dict[str, set[str]],
            years: set[str],
            tutors: set[str],
            dsl_team: bool,
            other_grants: dict[str, set[str]],
        ) -> Any:
            # Key access is where the rules are subtle; make sure every run exercises it.
            first = self.add_staff(
                self.add_level(grants, years, tutors, dsl_team), key_holder=True, verified=True
            )
            second = self.add_staff(
                self.add_level(other_grants, set(), set(), False), key_holder=True, verified=True
            )
            return multiple(first, second)

        @rule(
            target=levels,
            grants=grants_strategy,
            years=st.sets(st.sampled_from(("Year 7", "Year 8")), max_size=1),
            tutors=st.sets(st.sampled_from(("7A", "7B", "8A")), max_size=2),
            dsl_team=st.booleans(),
        )
        def add_level(
            self, grants: dict[str, set[str]], years: set[str], tutors: set[str], dsl_team: bool
        ) -> RefLevel:
            level = AccessLevel.objects.create(
                name=f"Level {AccessLevel.objects.count()}", is_dsl_team=dsl_team
            )
            for name, perms in grants.items():
                AccessLevelGrant.objects.create(
                    access_level=level,
                    category=self.categories[name],
                    can_view_pupils="view_pupils" in perms,
                    can_view_incidents="view_incidents" in perms,
                    can_add_incidents="add_incidents" in perms,
                )
            from safeguarding.models import TutorGroup, YearGroup

            level.year_groups.set(YearGroup.objects.filter(name__in=years))
            level.tutor_groups.set(TutorGroup.objects.filter(name__in=tutors))
            ref = RefLevel(grants=grants, years=years, tutors=tutors, dsl_team=dsl_team)
            ref.db_id = level.pk  # type: ignore[attr-defined]
            return ref

        @precondition(lambda self: len(self.world.staff) < 5)
        @rule(
            target=people,
            level=st.one_of(st.none(), levels),
            key_holder=st.booleans(),
            verified=st.booleans(),
        )
        def add_staff(self, level: RefLevel | None, key_holder: bool, verified: bool) -> RefStaff:
            member = f.staff(
                "Person", f"No{len(self.world.staff)}", level=None, key_holder=key_holder
            )
            if level is not None:
                Staff.objects.filter(pk=member.pk).update(access_level_id=level.db_id)  # type: ignore[attr-defined]
                member.refresh_from_db()
            client = f.signed_in(SchoolClient(school), member, second_factor=verified)
            person = RefStaff(member.pk, client, key_holder, verified, level)
            self.world.staff.append(person)
            return person

        @precondition(lambda self: len(self.world.incidents) < MAX_INCIDENTS)
        @rule(
            pupil=st.integers(0, 2),
            categories=category_sets,
            link=st.one_of(st.none(), st.tuples(st.integers(0, 2), category_sets)),
            recipients=st.sets(st.integers(0, 4), max_size=3),
        )
        def add_incident(
            self,
            pupil: int,
            categories: set[str],
            link: tuple[int, set[str]] | None,
            recipients: set[int],
        ) -> None:
            main = self.world.pupils[pupil]
            links = []
            records = [(main, categories)]
            if link is not None and link[0] != pupil:
                linked = self.world.pupils[link[0]]
                links.append(
                    LinkSpec(
                        pupil_id=linked.pk,
                        category_ids=[self.categories[c].pk for c in link[1]],
                    )
                )
                records.append((linked, link[1]))
            alerted = [self.world.staff[i] for i in recipients if i < len(self.world.staff)]
            incident = incident_create(
                actor=self.author,
                spec=IncidentSpec(
                    pupil_id=main.pk,
                    text="Stateful incident",
                    category_ids=[self.categories[c].pk for c in categories],
                    links=links,
                    alert_staff_ids=[p.pk for p in alerted],
                ),
            )
            self.world.incidents.append(RefIncident(incident.pk, records))
            for alert in Alert.objects.filter(incident=incident):
                self.world.alerts.append(RefAlert(alert.pk, alert.recipient_id, incident.pk))

        @rule(person=people, data=st.data())
        def mark_read(self, person: RefStaff, data: st.DataObject) -> None:
            unread = [a for a in self.world.alerts if a.recipient == person.pk and not a.read]
            if not unread:
                return
            alert = data.draw(st.sampled_from(unread))
            result = person.client.graphql(
                "mutation($id: ID!) { markAlertRead(alertId: $id) { errors { code } } }",
                {"id": f.gid("Alert", alert.pk)},
            )
            assert result["data"]["markAlertRead"]["errors"] == []
            alert.read = True

        @rule(person=people, data=st.data(), to_linked=st.booleans())
        def add_action(self, person: RefStaff, data: st.DataObject, to_linked: bool) -> None:
            # An action alerting the incident's recipients: only on the main record (a linked
            # pupil's copy is read-only).
            if not self.world.incidents:
                return
            incident = data.draw(st.sampled_from(self.world.incidents))
            text = f"Action {len(incident.actions)}"
            result = person.client.graphql(
                """mutation($id: ID!, $text: String!, $linked: Boolean!) {
                    addAction(input: {incidentId: $id, text: $text, addToLinkedStudents: $linked,
                    addIncidentAlertRecipients: true}) { errors { code } } }""",
                {"id": f.gid("Incident", incident.pk), "text": text, "linked": to_linked},
            )
            allowed = expected_record(self.world, person, incident) == 0
            errors = result["data"]["addAction"]["errors"]
            assert (errors == []) == allowed, (errors, allowed)
            if allowed:
                incident.actions.append((text, to_linked))
                known = {a.pk for a in self.world.alerts}
                for alert in Alert.objects.filter(incident_id=incident.pk).exclude(pk__in=known):
                    self.world.alerts.append(RefAlert(alert.pk, alert.recipient_id, incident.pk))

        @invariant()
        def everyone_fetches_exactly_what_they_should(self) -> None:
            if not self.world.staff:
                return
            AccessMachine.comparisons[0] += 1
            parts = [
                f'i{n}: incident(id: "{f.gid("Incident", inc.pk)}") {{ {VIEW_FIELDS} }}'
                for n, inc in enumerate(self.world.incidents)
            ] + [
                f's{n}: student(id: "{f.gid("Student", p.pk)}") {{ student {{ id }} '
                f"incidents {{ edges {{ node {{ id {VIEW_FIELDS} }} }} }} }}"
                for n, p in enumerate(self.world.pupils)
            ]
            query = "{ " + " ".join(parts) + " dashboard { alerts { incidentId } } }"
            for person in self.world.staff:
                data: dict[str, Any] = person.client.graphql(query)["data"]
                staff = Staff.objects.get(pk=person.pk)
                actor = Actor(staff, key_access=person.verified)
                for n, incident in enumerate(self.world.incidents):
                    record = expected_record(self.world, person, incident)
                    seen = data[f"i{n}"]
                    assert (seen is not None) == (record is not None), (person, incident)
                    if record is not None:
                        # What they see of it: the right record, with only its content.
                        expected = expected_view(self.world, person, incident, record)
                        assert _view(seen) == expected, (person, incident)
                    # The pure rule used by services agrees with the queryset used for reads.
                    model = with_detail(Incident.objects.filter(pk=incident.pk)).get()
                    assert can_view_incident(actor, model) == (record is not None)
                for n, pupil in enumerate(self.world.pupils):
                    chronology = data[f"s{n}"]
                    assert (chronology is not None) == expected_student(person, pupil)
                    if chronology is None:
                        continue
                    expected_rows = {}
                    for incident in self.world.incidents:
                        on_pupil = expected_record(self.world, person, incident, pupil)
                        if on_pupil is not None:
                            expected_rows[f.gid("Incident", incident.pk)] = expected_view(
                                self.world, person, incident, on_pupil
                            )
                    rows = {
                        e["node"]["id"]: _view(e["node"]) for e in chronology["incidents"]["edges"]
                    }
                    assert rows == expected_rows, (person, pupil)
                unread = sorted(
                    f.gid("Incident", a.incident)
                    for a in self.world.alerts
                    if a.recipient == person.pk and not a.read
                )
                assert sorted(a["incidentId"] for a in data["dashboard"]["alerts"]) == unread

    return AccessMachine


def test_api_visibility_matches_reference_model(school_a: School) -> None:
    machine = make_machine(school_a)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # The invariant really ran against people's views, not only against empty worlds.
    assert getattr(machine, "comparisons", [0])[0] > 0


def test_key_holder_without_second_factor_sees_no_more_than_colleague(school_a: School) -> None:
    dsl = f.dsl()
    hannah = f.pupil("Hannah", "Greenwood", "1B")
    wendy = f.staff("Wendy", "Abbott")
    unverified = f.signed_in(SchoolClient(school_a), dsl, second_factor=False)
    plain = f.signed_in(SchoolClient(school_a), wendy)
    verified = f.signed_in(SchoolClient(school_a), dsl, second_factor=True)
    incident = incident_create(
        actor=Actor(dsl, key_access=True),
        spec=IncidentSpec(
            pupil_id=hannah.pk,
            text="Concern",
            category_ids=[Category.objects.get(name="Child Protection").pk],
        ),
    )
    query = (
        f'{{ incident(id: "{f.gid("Incident", incident.pk)}") {{ text }} '
        f'student(id: "{f.gid("Student", hannah.pk)}") {{ student {{ displayName }} }} }}'
    )
    assert plain.graphql(query)["data"] == {"incident": None, "student": None}
    assert unverified.graphql(query)["data"] == {"incident": None, "student": None}
    assert verified.graphql(query)["data"] == {
        "incident": {"text": "Concern"},
        "student": {"student": {"displayName": "Hannah Greenwood (1B)"}},
    }
