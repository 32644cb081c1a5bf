"""A supervisor marks a moment with the keyboard, writes feedback and publishes it; the trainee sees the
marker at the right place on the timeline and jumps to it. Real browser, real (tiny) H.264 film."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _current_ms(page) -> int:
    return round(page.locator("[data-video]").evaluate("video => video.currentTime * 1000"))


@pytest.mark.django_db(transaction=True)
def test_supervisor_feedback_reaches_the_trainee_at_the_right_moment(
    page, professional, supervisor, playable_recording, vib_categories
):
    url = reverse("annotations:workspace", args=[playable_recording.pk])
    browser_login(page, supervisor)
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-video]')?.readyState >= 1")

    # Keyboard only: focus the player, step 15 frames forward (1/30 s each), mark the moment.
    page.locator("[data-player-focus]").focus()
    for _ in range(15):
        page.keyboard.press(".")
    marked_ms = _current_ms(page)
    assert 450 <= marked_ms <= 550
    page.keyboard.press("m")
    start_field = page.get_by_label("Begin", exact=True)
    assert start_field.input_value() == f"0:00.{marked_ms:03d}"
    assert page.get_by_label("Categorie", exact=True).evaluate("el => el === document.activeElement")
    page.get_by_label("Categorie", exact=True).select_option(label="Ontvangen/bevestigen")
    page.keyboard.press("Tab")  # the single kind is implied; the next field is the text
    page.get_by_label("Tekst", exact=True).focus()
    page.keyboard.type("Je ontvangt haar initiatief met een knik: mooi afgestemd.")
    page.get_by_role("button", name="Aantekening opslaan").press("Enter")

    item = page.locator(".annotation").filter(has_text="mooi afgestemd")
    item.get_by_text("Concept").wait_for()
    expect(page.get_by_role("button", name="Al mijn concepten publiceren")).to_be_visible()
    item.get_by_role("button", name="Publiceren").press("Enter")
    item.get_by_text("Concept").wait_for(state="detached")
    annotation = Annotation.objects.get()
    assert (annotation.kind, annotation.visibility, annotation.start_ms) == (
        "feedback",
        "published",
        marked_ms,
    )

    # The trainee logs in, sees the marker a quarter of the way along the 2-second film, and jumps to it.
    page.get_by_role("button", name="Uitloggen").click()
    browser_login(page, professional)
    page.goto(url)
    marker = page.locator(f'[data-marker="{annotation.pk}"]')
    expect(page.get_by_role("button", name="Al mijn concepten publiceren")).not_to_be_visible()
    left = float(re.sub(r"%$", "", marker.evaluate("el => el.style.left")))
    assert left == pytest.approx(marked_ms / 2000 * 100, abs=0.01)
    marker.click()
    assert _current_ms(page) == marked_ms
    trainee_item = page.locator(f'[data-annotation="{annotation.pk}"]')
    assert "active" in trainee_item.get_attribute("class")
    expect(page.locator("[data-current-annotation]")).to_contain_text("mooi afgestemd")

    # The list works with the keyboard as well.
    page.locator("[data-video]").evaluate("video => { video.currentTime = 1.9; }")
    trainee_item.get_by_role("button", name=re.compile("^Naar 0:00")).press("Enter")
    assert _current_ms(page) == marked_ms
