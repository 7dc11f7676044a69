"""Who may see and do what: the one place for the access rules.

The checks here are plain functions of an :class:`Actor` and the record in question.
Selectors (``safeguarding/selectors/``) express the same rules as querysets, services call
these functions again before they write, and the GraphQL layer reaches records only through
selectors and services. A test compares the two forms on random data.

The rules:

- Anyone holding an unread alert for an incident (or for one of its actions) may read that
  incident and its actions. Marking the alert read takes that away.
- Beyond their alerts, only *effective* key access counts: a key holder whose session passed
  the second factor. Without it a key holder sees what a colleague without key access sees.
- A key holder sees an incident when its record on a pupil is visible to their access level:
  the pupil is within the level's year/tutor group limits, the level may view incidents in at
  least one of the record's categories, and no category of the record is "DSL team only"
  unless the level is the DSL team's. An incident is on the main pupil's record under its own
  categories and on each linked pupil's record under that link's categories.
- What a reader sees is one *record* of the incident (``incident_record_for``): the main
  record (an unread alert, or the main record visible to their level) shows everything; a
  linked pupil's copy shows that pupil as its subject, the link's own categories (and the
  subcategories under them), the actions added to linked students, and files only where the
  link (and, for an action's files, the action) shares documents. A copy shows no agencies,
  body map, other linked pupils or alert recipients: those belong to the main pupil's record.
  On the main record, a linked pupil's categories show only where that copy is visible too
  (a victim's record must not reveal a perpetrator's DSL-team-only filing).
- Attachments follow the record: a file is open to someone when a record they may see shows it.
- Adding an incident needs no key access (anyone must be able to report a concern) but every
  chosen category must be one the person's access level may add in.
- School administration needs an active school admin whose session passed the second factor:
  a password alone never changes the school's settings. Whatever grants or widens key access
  (key holder flag, access levels and their grants, admin rights, reactivating a key holder or
  admin, a category no longer "DSL team only"), changes an e-mail address (the way into an
  account) or creates an API client needs more: an admin who is a key holder, with the second
  factor passed and the password entered in the last few minutes. So nobody can give anybody
  more access to records than a key holder who has just proved who they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safeguarding.models import (
        AccessLevel,
        Action,
        Attachment,
        Category,
        Incident,
        IncidentLink,
        LibraryFolder,
        Pupil,
        Staff,
    )


@dataclass(frozen=True)
class Grant:
    can_view_pupils: bool
    can_view_incidents: bool
    can_add_incidents: bool


@dataclass(frozen=True)
class AccessProfile:
    """An access level reduced to the facts the rules read."""

    grants: dict[int, Grant] = field(default_factory=dict)
    year_group_ids: frozenset[int] = frozenset()
    tutor_group_ids: frozenset[int] = frozenset()
    is_dsl_team: bool = False
    # None: no access level at all (adds in every category that is not DSL team only).
    level_id: int | None = None

    @classmethod
    def of_level(cls, level: AccessLevel | None) -> AccessProfile:
        """Build from a level; uses prefetched grants/year_groups/tutor_groups when present."""
        if level is None:
            return cls()
        return cls(
            grants={
                grant.category_id: Grant(
                    grant.can_view_pupils, grant.can_view_incidents, grant.can_add_incidents
                )
                for grant in level.grants.all()
            },
            year_group_ids=frozenset(group.pk for group in level.year_groups.all()),
            tutor_group_ids=frozenset(group.pk for group in level.tutor_groups.all()),
            is_dsl_team=level.is_dsl_team,
            level_id=level.pk,
        )

    def pupil_in_scope(self, year_group_id: int | None, tutor_group_id: int | None) -> bool:
        if self.year_group_ids and year_group_id not in self.year_group_ids:
            return False
        return not (self.tutor_group_ids and tutor_group_id not in self.tutor_group_ids)


@dataclass(frozen=True)
class CategoryFacts:
    id: int
    dsl_team_only: bool

    @classmethod
    def of(cls, category: Category) -> CategoryFacts:
        return cls(category.pk, category.dsl_team_only)


@dataclass(frozen=True)
class SessionAssurance:
    """What the asking session proved beyond the password it signed in with."""

    # django-otp's is_verified(): an app code, security key or recovery code this session.
    second_factor_passed: bool = False
    # The password was entered within HAVEN_REAUTHENTICATION_SECONDS (at sign-in or again).
    recently_reauthenticated: bool = False


NO_ASSURANCE = SessionAssurance()


class Actor:
    """Someone asking: the member of staff and whether their key access is effective."""

    def __init__(
        self,
        staff: Staff,
        *,
        key_access: bool,
        session: SessionAssurance = NO_ASSURANCE,
        profile: AccessProfile | None = None,
        unread_alert_incident_ids: frozenset[int] | None = None,
    ) -> None:
        self.staff = staff
        self.session = session
        # Key access needs the key holder flag; the caller adds the second-factor condition.
        self.key_access = bool(key_access and staff.is_key_holder)
        self._profile = profile
        self._unread = unread_alert_incident_ids

    @cached_property
    def profile(self) -> AccessProfile:
        if self._profile is not None:
            return self._profile
        from safeguarding.models import AccessLevel

        level = None
        if self.staff.access_level_id is not None:
            level = (
                AccessLevel.objects.prefetch_related("grants", "year_groups", "tutor_groups")
                .filter(pk=self.staff.access_level_id)
                .first()
            )
        return AccessProfile.of_level(level)

    @cached_property
    def unread_alert_incident_ids(self) -> frozenset[int]:
        if self._unread is not None:
            return self._unread
        from safeguarding.models import Alert

        return frozenset(
            Alert.objects.filter(recipient=self.staff, read_at__isnull=True).values_list(
                "incident_id", flat=True
            )
        )

    def forget_alerts(self) -> None:
        """Call after alerts changed within the same request."""
        self._unread = None
        self.__dict__.pop("unread_alert_incident_ids", None)


# --- Pure rules on facts ------------------------------------------------------------------


def viewable_incident_category_ids(profile: AccessProfile) -> frozenset[int]:
    return frozenset(cid for cid, grant in profile.grants.items() if grant.can_view_incidents)


def record_visible(
    profile: AccessProfile,
    *,
    year_group_id: int | None,
    tutor_group_id: int | None,
    categories: Iterable[CategoryFacts],
) -> bool:
    """Whether an incident record on a pupil, under these categories, is visible to a level."""
    facts = list(categories)
    if not facts or not profile.pupil_in_scope(year_group_id, tutor_group_id):
        return False
    if not profile.is_dsl_team and any(fact.dsl_team_only for fact in facts):
        return False
    viewable = viewable_incident_category_ids(profile)
    return any(fact.id in viewable for fact in facts)


# --- Checks on records --------------------------------------------------------------------


def _main_record_visible(actor: Actor, incident: Incident) -> bool:
    pupil = incident.pupil
    return record_visible(
        actor.profile,
        year_group_id=pupil.year_group_id,
        tutor_group_id=pupil.tutor_group_id,
        categories=[CategoryFacts.of(c) for c in incident.categories.all()],
    )


def _link_visible(actor: Actor, link: IncidentLink) -> bool:
    pupil = link.pupil
    return record_visible(
        actor.profile,
        year_group_id=pupil.year_group_id,
        tutor_group_id=pupil.tutor_group_id,
        categories=[CategoryFacts.of(c) for c in link.categories.all()],
    )


def holds_unread_alert(actor: Actor, incident: Incident) -> bool:
    return incident.pk in actor.unread_alert_incident_ids


@dataclass(frozen=True)
class IncidentRecord:
    """The record of an incident that a reader sees: the main record (``link`` is None) or
    the copy on one linked pupil's record."""

    incident: Incident
    link: IncidentLink | None = None

    @property
    def is_main(self) -> bool:
        return self.link is None

    @property
    def pupil_id(self) -> int:
        return self.incident.pupil_id if self.link is None else self.link.pupil_id

    def shows_action(self, action: Action) -> bool:
        return self.link is None or action.add_to_linked_pupils

    def shows_incident_documents(self) -> bool:
        return self.link is None or self.link.share_documents

    def shows_action_documents(self, action: Action) -> bool:
        return self.link is None or (
            self.link.share_documents and action.add_to_linked_pupils and action.share_documents
        )

    def shows_attachment(self, attachment: Attachment) -> bool:
        if attachment.incident_id is not None:
            return attachment.incident_id == self.incident.pk and self.shows_incident_documents()
        action = attachment.action
        return (
            action is not None
            and action.incident_id == self.incident.pk
            and self.shows_action_documents(action)
        )


def incident_record_for(
    actor: Actor, incident: Incident, *, pupil_id: int | None = None
) -> IncidentRecord | None:
    """Which record of ``incident`` this person sees; None when they may see none.

    Opened on its own (``pupil_id`` None): the main record for anyone holding an unread alert
    or whose level shows the main record, else the first linked pupil's copy their level shows.
    On a pupil's chronology (``pupil_id`` given): only the record on that pupil — the main
    record for the main pupil, that pupil's copy for a linked pupil — and only if visible.
    """
    alerted = holds_unread_alert(actor, incident)
    key = actor.key_access
    if pupil_id is None or pupil_id == incident.pupil_id:
        if alerted or (key and _main_record_visible(actor, incident)):
            return IncidentRecord(incident)
        if pupil_id is not None or not key:
            return None
        for link in sorted(incident.links.all(), key=lambda row: row.pk):
            if _link_visible(actor, link):
                return IncidentRecord(incident, link)
        return None
    for link in incident.links.all():
        if link.pupil_id == pupil_id and (alerted or (key and _link_visible(actor, link))):
            return IncidentRecord(incident, link)
    return None


def link_categories_shown(actor: Actor, record: IncidentRecord, link: IncidentLink) -> bool:
    """On the main record, a linked pupil's own categories show only where that copy is one
    the reader could open too (or the reader was alerted to the incident)."""
    if not record.is_main:
        return False
    return holds_unread_alert(actor, record.incident) or (
        actor.key_access and _link_visible(actor, link)
    )


def can_view_incident(actor: Actor, incident: Incident) -> bool:
    return incident_record_for(actor, incident) is not None


def _records_visible(actor: Actor, incident: Incident) -> list[IncidentRecord]:
    main = incident_record_for(actor, incident)
    if main is None or main.is_main:
        return [main] if main is not None else []
    return [
        IncidentRecord(incident, link)
        for link in incident.links.all()
        if _link_visible(actor, link)
    ]


def can_view_attachment(actor: Actor, attachment: Attachment) -> bool:
    incident = (
        attachment.incident
        if attachment.incident_id is not None
        else attachment.action.incident
        if attachment.action_id is not None and attachment.action is not None
        else None
    )
    if incident is not None:
        return any(r.shows_attachment(attachment) for r in _records_visible(actor, incident))
    document = getattr(attachment, "library_document", None)
    if document is not None:
        return can_view_library_folder(actor, document.folder)
    # Not yet filed: only the person who uploaded it.
    return attachment.uploaded_by_id == actor.staff.pk


def can_add_action(actor: Actor, incident: Incident) -> bool:
    """Actions go on the main record, and what someone adds there is listed back to them with
    the main record's pupil and categories (My History), so only readers of the main record
    add them; a linked pupil's copy is read-only."""
    record = incident_record_for(actor, incident)
    return record is not None and record.is_main


def can_view_student(actor: Actor, pupil: Pupil) -> bool:
    """Whether the pupil's record (profile and chronology) may be opened."""
    if not actor.key_access:
        return False
    profile = actor.profile
    if not profile.pupil_in_scope(pupil.year_group_id, pupil.tutor_group_id):
        return False
    return any(grant.can_view_pupils for grant in profile.grants.values())


def addable_category_ids(profile: AccessProfile, categories: Iterable[CategoryFacts]) -> set[int]:
    """Categories in which a person on this level may add incidents."""
    allowed: set[int] = set()
    for category in categories:
        if category.dsl_team_only and not profile.is_dsl_team:
            continue
        if profile.level_id is None:
            allowed.add(category.id)
            continue
        grant = profile.grants.get(category.id)
        if grant is not None and grant.can_add_incidents:
            allowed.add(category.id)
    return allowed


def can_add_incident(actor: Actor, categories: Iterable[Category]) -> bool:
    facts = [CategoryFacts.of(c) for c in categories]
    return bool(facts) and addable_category_ids(actor.profile, facts) == {f.id for f in facts}


def can_view_library_folder(actor: Actor, folder: LibraryFolder) -> bool:
    if can_manage_library(actor):
        return True
    level_ids = {level.pk for level in folder.access_levels.all()}
    return not level_ids or actor.staff.access_level_id in level_ids


def can_manage_library(actor: Actor) -> bool:
    return can_administer_school(actor.staff, actor.session)


# --- School administration ----------------------------------------------------------------

FORBIDDEN = "forbidden"
SECOND_FACTOR_REQUIRED = "second_factor_required"
KEY_HOLDER_REQUIRED = "key_holder_required"
REAUTHENTICATION_REQUIRED = "reauthentication_required"


def is_school_admin(staff: Staff | None) -> bool:
    """The account's admin flag, active accounts only; says nothing of the session."""
    return staff is not None and staff.is_active and staff.is_school_admin


def can_administer_school(staff: Staff | None, session: SessionAssurance) -> bool:
    """School settings (categories, alert groups, agencies, access levels, staff, API clients,
    the library, change history): active school admins whose session passed the second
    factor. Everyone else, an admin signed in with a password alone included, gets no
    settings data at all."""
    return is_school_admin(staff) and session.second_factor_passed


def can_change_key_access(staff: Staff | None, session: SessionAssurance) -> bool:
    """Granting or widening key access, changing an e-mail address, changing access levels,
    creating API clients: an admin who is a key holder, second factor passed, password
    entered recently."""
    return (
        can_administer_school(staff, session)
        and staff is not None
        and staff.is_key_holder
        and session.recently_reauthenticated
    )


def admin_refusal(
    staff: Staff | None, session: SessionAssurance, *, changes_key_access: bool = False
) -> str | None:
    """Why an admin action is refused (the first unmet condition, as an error code), or None.

    The order tells the person what to do next: sign in with the second factor before
    anything else, and enter the password again only when that is all that is missing."""
    if not is_school_admin(staff):
        return FORBIDDEN
    if not session.second_factor_passed:
        return SECOND_FACTOR_REQUIRED
    if not changes_key_access:
        return None
    assert staff is not None
    if not staff.is_key_holder:
        return KEY_HOLDER_REQUIRED
    if not session.recently_reauthenticated:
        return REAUTHENTICATION_REQUIRED
    return None


def staff_change_touches_key_access(
    staff: Staff | None,
    *,
    email: str | None,
    access_level_id: int | None,
    access_level_set: bool,
    is_key_holder: bool | None,
    is_school_admin: bool | None,
) -> bool:
    """Whether inviting (``staff`` None) or changing an account grants or widens key access
    or changes an e-mail address. Taking access away (key holder off, no level, admin off)
    does not: any admin with the second factor may narrow access at once. A level decides
    what its holder *reads* only with key access; for anyone else it only says in which
    categories they may report, so a school's IT admin may invite and place colleagues
    without key access without being a key holder."""
    if staff is None:
        return bool(is_key_holder or is_school_admin)
    if email is not None and email.strip().lower() != staff.email.lower():
        return True
    if is_key_holder and not staff.is_key_holder:
        return True
    if is_school_admin and not staff.is_school_admin:
        return True
    key_holder_after = staff.is_key_holder if is_key_holder is None else is_key_holder
    return (
        key_holder_after
        and access_level_set
        and access_level_id is not None
        and access_level_id != staff.access_level_id
    )


def staff_reactivation_touches_key_access(staff: Staff) -> bool:
    """Reactivating a key holder or an admin gives back access to records or to settings."""
    return staff.is_key_holder or staff.is_school_admin


def would_normally_view(
    profile: AccessProfile,
    *,
    is_key_holder: bool,
    year_group_id: int | None,
    tutor_group_id: int | None,
    categories: Iterable[CategoryFacts],
) -> bool:
    """For the alert picker: could this colleague view such an incident without an alert?"""
    return is_key_holder and record_visible(
        profile,
        year_group_id=year_group_id,
        tutor_group_id=tutor_group_id,
        categories=categories,
    )
