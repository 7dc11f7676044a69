"""What every new school starts with: the user guide's categories, alert groups, agencies and
its first designated safeguarding lead (who sets a password through the first-time link)."""

from __future__ import annotations

from django.db import transaction

from safeguarding.models import (
    AccessLevel,
    AccessLevelGrant,
    Agency,
    AlertGroup,
    Category,
    Staff,
    Subcategory,
)

# (name, chip colour, subcategories). Colours pass WCAG AA against white text.
DEFAULT_CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Behaviour", "#8a4b08", ()),
    ("Bullying", "#9b2c2c", ()),
    (
        "Child Protection",
        "#b42318",
        ("CAF", "Cause for Concern", "Child Protection Plan", "CIN", "Early Help"),
    ),
    ("Home Issues", "#6b46c1", ()),
    ("LAC", "#2c5282", ()),
    ("Medical Issues", "#276749", ()),
    ("Prevent", "#1a202c", ()),
    ("SEND", "#2b6cb0", ()),
)
DEFAULT_ALERT_GROUPS = ("SLT", "Teachers")
DEFAULT_AGENCIES = (
    "Children's Social Care",
    "Police",
    "CAMHS",
    "School Nurse",
    "Early Help",
    "Educational Psychologist",
    "GP",
    "Health Visitor",
    "Local Authority Designated Officer (LADO)",
    "Multi-Agency Safeguarding Hub (MASH)",
    "Virtual School",
    "Youth Offending Team",
    "Young Carers",
    "Channel",
)
# Pastoral staff see these categories' pupils and incidents; the guide's default.
PASTORAL_CATEGORIES = ("Behaviour", "Bullying", "Home Issues", "Medical Issues", "SEND")


def access_levels_install() -> dict[str, AccessLevel]:
    """The default access levels: "All staff", "Pastoral" and "DSL"."""
    categories = list(Category.objects.all())
    all_staff = AccessLevel.objects.create(
        name="All staff", description="Add incidents in every category; view nothing."
    )
    pastoral = AccessLevel.objects.create(
        name="Pastoral", description="View pastoral categories; add incidents in every category."
    )
    dsl = AccessLevel.objects.create(
        name="DSL", description="Designated safeguarding leads: everything.", is_dsl_team=True
    )
    grants = []
    for category in categories:
        grants.append(
            AccessLevelGrant(access_level=all_staff, category=category, can_add_incidents=True)
        )
        pastoral_view = category.name in PASTORAL_CATEGORIES
        grants.append(
            AccessLevelGrant(
                access_level=pastoral,
                category=category,
                can_view_pupils=pastoral_view,
                can_view_incidents=pastoral_view,
                can_add_incidents=True,
            )
        )
        grants.append(
            AccessLevelGrant(
                access_level=dsl,
                category=category,
                can_view_pupils=True,
                can_view_incidents=True,
                can_add_incidents=True,
            )
        )
    AccessLevelGrant.objects.bulk_create(grants)
    return {level.name: level for level in (all_staff, pastoral, dsl)}


@transaction.atomic
def school_defaults_install(
    *, dsl_email: str, dsl_first_name: str = "Designated", dsl_last_name: str = "Safeguarding Lead"
) -> Staff:
    """Install the defaults in the current school's schema; returns the first DSL."""
    for order, (name, colour, subcategories) in enumerate(DEFAULT_CATEGORIES):
        category = Category.objects.create(name=name, colour=colour, order=order)
        Subcategory.objects.bulk_create(
            Subcategory(category=category, name=sub, order=position)
            for position, sub in enumerate(subcategories)
        )
    for order, name in enumerate(DEFAULT_ALERT_GROUPS):
        AlertGroup.objects.create(name=name, order=order)
    Agency.objects.bulk_create(Agency(name=name) for name in DEFAULT_AGENCIES)
    levels = access_levels_install()
    dsl = Staff.objects.create_user(
        email=dsl_email,
        first_name=dsl_first_name,
        last_name=dsl_last_name,
        job_title="Designated Safeguarding Lead",
        is_key_holder=True,
        is_school_admin=True,
        access_level=levels["DSL"],
    )
    AlertGroup.objects.get(name="SLT").members.add(dsl)
    return dsl
