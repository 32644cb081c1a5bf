"""Consent belongs to the family: per-recording consents become families with a consent ledger.

Each old consent row (one per recording) becomes a consent for VIB supervision of the family
(organisation, code); recordings and cycles point at that family. A cycle takes the family of its home
visit (else of any of its recordings).
"""

from django.db import migrations

_GIVEN_BY = {"parent": "parents", "guardian": "parents"}


def consents_to_families(apps, schema_editor):  # type: ignore[no-untyped-def]
    OldConsent = apps.get_model("recordings", "Consent")
    Recording = apps.get_model("recordings", "Recording")
    VibCycle = apps.get_model("recordings", "VibCycle")
    Family = apps.get_model("families", "Family")
    Consent = apps.get_model("families", "Consent")
    for old in OldConsent.objects.order_by("pk").iterator():
        family, _created = Family.objects.get_or_create(organisation_id=old.organisation_id, code=old.family_code)
        Consent.objects.create(
            family=family,
            purpose="vib_supervision",
            given_by=_GIVEN_BY.get(old.given_by, "parents"),
            given_on=old.given_on,
            valid_until=old.valid_until,
            recorded_by_id=old.professional_id,
            created_at=old.created_at,
            withdrawn_at=old.withdrawn_at,
        )
        Recording.objects.filter(consent_id=old.pk).update(family=family)
    for cycle in VibCycle.objects.filter(family__isnull=True).iterator():
        recordings = Recording.objects.filter(cycle=cycle, family__isnull=False)
        first = recordings.filter(kind="home_visit").first() or recordings.first()
        if first is not None:
            VibCycle.objects.filter(pk=cycle.pk).update(family_id=first.family_id)


class Migration(migrations.Migration):
    dependencies = [("recordings", "0002_recording_family")]

    operations = [migrations.RunPython(consents_to_families, migrations.RunPython.noop)]
