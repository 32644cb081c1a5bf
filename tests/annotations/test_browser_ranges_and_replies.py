"""The trainee marks a fragment with in and out points, corrects a wrong end time after the server's
message (nothing typed is lost), links it, and replies to feedback; all with the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_trainee_marks_a_fragment_fixes_an_error_and_replies(
    page, professional, supervisor, playable_recording, vib_categories
):
    initiative = Annotation.objects.create(
        recording=playable_recording, author=professional, start_ms=200, category=vib_categories[0],
        text="Kind wijst naar de bal", kind="analysis", visibility="published",
    )  # fmt: skip
    feedback = Annotation.objects.create(
        recording=playable_recording, author=supervisor, start_ms=1500, category=vib_categories[3],
        text="Benoem wat je ziet", kind="feedback", visibility="published",
    )  # fmt: skip
    browser_login(page, professional)
    page.goto(reverse("annotations:workspace", args=[playable_recording.pk]))
    page.wait_for_function("() => document.querySelector('[data-video]')?.readyState >= 1")

    page.locator("[data-player-focus]").focus()
    for _ in range(9):
        page.keyboard.press(".")
    page.keyboard.press("i")
    page.get_by_text("Beginpunt gezet bij").wait_for(state="attached")
    for _ in range(6):
        page.keyboard.press(".")
    page.keyboard.press("o")
    assert page.get_by_label("Begin", exact=True).input_value() == "0:00.300"
    assert page.get_by_label("Einde (voor een fragment)").input_value() == "0:00.500"

    page.get_by_label("Categorie", exact=True).select_option(label="Ontvangen/bevestigen")
    page.get_by_label("Tekst", exact=True).fill("Moeder kijkt mee en knikt")
    page.get_by_label("Gekoppeld aan (bijvoorbeeld").select_option(value=str(initiative.pk))
    page.get_by_label("Einde (voor een fragment)").fill("9:00.000")
    page.get_by_role("button", name="Aantekening opslaan").press("Enter")

    page.get_by_text("Het einde moet binnen de opname liggen (uiterlijk 0:02.000).").wait_for()
    assert page.get_by_label("Tekst", exact=True).input_value() == "Moeder kijkt mee en knikt"
    page.get_by_label("Einde (voor een fragment)").fill("0:00.500")
    page.get_by_role("button", name="Aantekening opslaan").press("Enter")
    page.locator(".annotation").filter(has_text="Moeder kijkt mee").wait_for()
    created = Annotation.objects.get(text="Moeder kijkt mee en knikt")
    assert (created.start_ms, created.end_ms, created.linked_to_id) == (300, 500, initiative.pk)
    assert page.locator(f'[data-marker="{created.pk}"].range').count() == 1
    # The pair is shown together: the initiative's item names its reception and vice versa.
    expect(page.locator(f'[data-annotation="{created.pk}"]')).to_contain_text("Gekoppeld aan 0:00.200")
    expect(page.locator(f'[data-annotation="{initiative.pk}"]')).to_contain_text("Gekoppeld aan 0:00.300")

    item = page.locator(f'[data-annotation="{feedback.pk}"]')
    item.get_by_role("button", name="Reageren").press("Enter")
    page.keyboard.type("Ik ga meer benoemen")
    item.get_by_role("button", name="Reactie versturen").press("Enter")
    item.locator(".reply").filter(has_text="Ik ga meer benoemen").wait_for()
    assert Annotation.objects.filter(parent=feedback, author=professional).count() == 1

    # A still of the current frame, made by the worker and offered for download.
    page.get_by_role("button", name="Still van dit beeld maken").press("Enter")
    page.locator("[data-media-list]").get_by_role("link", name="Downloaden").wait_for()
