"""The data migration: per-recording consents become families with a consent ledger."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
BEFORE = [("recordings", "0001_initial"), ("families", "0001_families_and_consents")]
AFTER = [("recordings", "0004_remove_recording_consent")]


def migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():  # type: ignore[no-untyped-def]
    # Later tests on this worker need every migration applied, including other apps' later ones.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_two_films_of_one_family_share_one_family_and_codes_stay_per_organisation(
    professional, professional_other_org
):
    old = migrate(BEFORE)
    Consent = old.get_model("recordings", "Consent")
    Recording = old.get_model("recordings", "Recording")
    VibCycle = old.get_model("recordings", "VibCycle")
    day = datetime.date(2026, 1, 1)
    rows = {}
    for name, person, withdrawn in [
        ("home", professional, None),
        ("talk", professional, None),
        ("other", professional_other_org, None),
    ]:
        consent = Consent.objects.create(
            organisation_id=person.organisation_id, professional_id=person.pk, family_code="GEZIN-1",
            given_by="guardian", given_on=day, valid_until=datetime.date(2026, 12, 31), withdrawn_at=withdrawn,
        )  # fmt: skip
        cycle = VibCycle.objects.create(professional_id=person.pk)
        rows[name] = Recording.objects.create(professional_id=person.pk, consent=consent, cycle=cycle)

    new = migrate(AFTER)

    Family = new.get_model("families", "Family")
    NewRecording = new.get_model("recordings", "Recording")
    assert Family.objects.filter(code="GEZIN-1").count() == 2
    home, talk, other = (NewRecording.objects.get(pk=rows[name].pk) for name in ("home", "talk", "other"))
    assert home.family_id == talk.family_id != other.family_id
    family = Family.objects.get(pk=home.family_id)
    assert family.organisation_id == professional.organisation_id
    assert list(family.consents.values_list("purpose", "given_by")) == [("vib_supervision", "parents")] * 2
    assert new.get_model("recordings", "VibCycle").objects.get(pk=home.cycle_id).family_id == family.pk
