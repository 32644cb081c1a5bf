"""Without a stored frame rate the player learns it from playback, so frame steps match a 25 fps film."""

import pytest
from django.urls import reverse

from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_the_player_measures_the_frame_rate_while_playing(
    page, professional, playable_recording, vib_categories
):
    browser_login(page, professional)
    page.goto(reverse("annotations:workspace", args=[playable_recording.pk]))
    page.wait_for_function("() => document.querySelector('[data-video]')?.readyState >= 2")
    page.locator("[data-player-focus]").focus()

    page.keyboard.press("k")
    page.wait_for_function(
        "() => document.querySelector('[data-annotation-workspace]').workspace.player.frameRateKnown"
    )
    page.keyboard.press("k")
    frame_ms = page.evaluate("document.querySelector('[data-annotation-workspace]').workspace.player.frameMs")

    assert frame_ms == pytest.approx(40)
