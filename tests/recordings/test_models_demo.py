"""The demo seed: one short processed film for the demo trainee, safe to run again."""

import pytest

from organisations.demo import seed_people
from recordings import demo
from recordings.models import Recording
from tests.recordings.conftest import enrol_on_vib

pytestmark = pytest.mark.slow


def test_seed_makes_one_playable_film_and_is_idempotent(db):
    people = seed_people()
    enrol_on_vib(people.trainee)  # in the real demo the courses demo enrols the trainee first (VIB gate)
    recording = demo.seed(people)
    assert recording.professional == people.trainee
    assert recording.status == Recording.Status.READY
    assert recording.duration_ms == pytest.approx(4000, abs=200)
    assert {r.kind for r in recording.renditions.all()} >= {"high", "low", "poster"}
    # Two VIB cycles: DEMO-0001's home visit, DEMO-0002's home visit and its nabespreking.
    assert Recording.objects.count() == 3
    assert demo.seed(people) == recording
    assert Recording.objects.count() == 3
