"""Models of a school's schema, one module per noun."""

from safeguarding.models.access_levels import AccessLevel, AccessLevelGrant
from safeguarding.models.actions import Action
from safeguarding.models.agencies import Agency
from safeguarding.models.alert_groups import AlertGroup
from safeguarding.models.alerts import Alert
from safeguarding.models.api_clients import ApiClient, ApiScope, MisFullSync
from safeguarding.models.attachments import Attachment
from safeguarding.models.audit import AuditEvent
from safeguarding.models.body_maps import BodyMapMarker
from safeguarding.models.categories import Category, Subcategory
from safeguarding.models.incidents import Incident, IncidentLink
from safeguarding.models.library import LibraryDocument, LibraryFolder
from safeguarding.models.pupils import Pupil, TutorGroup, YearGroup
from safeguarding.models.school_settings import SchoolSettings
from safeguarding.models.staff import Staff
from safeguarding.models.staff_sessions import StaffSession
from safeguarding.models.webauthn_credentials import WebAuthnCredential

__all__ = [
    "AccessLevel",
    "AccessLevelGrant",
    "Action",
    "Agency",
    "Alert",
    "AlertGroup",
    "ApiClient",
    "ApiScope",
    "Attachment",
    "AuditEvent",
    "BodyMapMarker",
    "Category",
    "Incident",
    "IncidentLink",
    "LibraryDocument",
    "LibraryFolder",
    "MisFullSync",
    "Pupil",
    "SchoolSettings",
    "Staff",
    "StaffSession",
    "Subcategory",
    "TutorGroup",
    "WebAuthnCredential",
    "YearGroup",
]
