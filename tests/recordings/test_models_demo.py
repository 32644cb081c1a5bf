"""The demo seed: one short processed film for the demo trainee, safe to run again."""

import pytest

from organisations.demo import seed_people
from recordings import demo
from recordings.models import Recording

pytestmark = pytest.mark.slow


def test_seed_makes_one_playable_film_and_is_idempotent(db):
    people = seed_people()
    recording = demo.seed(people)
    assert recording.professional == people.trainee
    assert recording.status == Recording.Status.READY
    assert recording.duration_ms == pytest.approx(4000, abs=200)
    assert {r.kind for r in recording.renditions.all()} >= {"high", "low", "poster"}
    assert demo.seed(people) == recording
    assert Recording.objects.count() == 1
