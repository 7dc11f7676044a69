"""`make run`'s demo school shows the guide's dashboard and can be seeded again safely."""

from __future__ import annotations

from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.models import Alert, Incident, Staff
from tenants.models import School


@override_settings(DEBUG=True)
def test_demo_school_has_the_guides_alerts_and_reseeding_adds_nothing(
    db: None, in_public: None
) -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    with School.objects.get(schema_name="montsaye"):
        assert Incident.objects.count() == 3
        dsl = Staff.objects.get(email="dsl@montsaye.example")
        wendy = Staff.objects.get(email="wendy.abbott@montsaye.example")
        unread = Alert.objects.filter(read_at=None)
        assert unread.filter(recipient=dsl).count() == 3
        assert unread.filter(recipient=wendy).count() == 1
        # Newest first, as the guide's dashboard: Hannah Greenwood's, two days ago.
        newest = unread.filter(recipient=dsl).order_by("-created_at").first()
        assert newest is not None
        assert newest.incident.pupil.legal_first_name == "Hannah"
        device = TOTPDevice.objects.get(user=dsl)
        assert device.verify_token(TOTP(device.bin_key).token())
