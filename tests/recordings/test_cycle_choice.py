"""Two cycles started on the same day can be told apart in the cycle choice of a new recording."""

import datetime

from django.urls import reverse
from django.utils import timezone

from recordings.models import VibCycle


def test_the_cycle_choice_names_day_and_time(client_for, professional):
    morning = timezone.make_aware(datetime.datetime(2026, 5, 4, 8, 30))
    for moment in (morning, morning + datetime.timedelta(hours=6)):
        cycle = VibCycle.objects.create(professional=professional)
        VibCycle.objects.filter(pk=cycle.pk).update(created_at=moment)

    page = client_for(professional).get(reverse("recordings:create")).content.decode()

    assert "VIB-cyclus van 4 mei 2026 08:30" in page
    assert "VIB-cyclus van 4 mei 2026 14:30" in page
