"""The demo's families tell one story: the filmed family consented, the other withdrew (nothing kept)."""

import pytest
from django.utils import timezone

from families import demo
from families.models import Family
from organisations.demo import seed_people


@pytest.mark.django_db
def test_the_demo_has_a_family_that_withdrew_and_is_idempotent():
    people = seed_people()
    family = demo.seed(people)
    assert demo.seed(people) == family
    assert Family.objects.filter(code=demo.WITHDRAWN_FAMILY_CODE).count() == 1
    assert family.consent_state("vib_supervision", timezone.localdate()) == "withdrawn"
    assert set(family.consents.values_list("withdrawn_by", flat=True)) == {people.coordinator.pk}
    assert not family.recordings.exists()
