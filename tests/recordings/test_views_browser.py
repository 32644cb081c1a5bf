"""The recording pages in a real browser: consent first, progress by polling, the player under the CSP."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from recordings.demo import _make_clip
from recordings.models import Recording, Rendition
from recordings.pipeline import recording_process
from tests.conftest import browser_login

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_professional_records_consent_then_lands_on_the_upload_step(page, professional):
    browser_login(page, professional)
    page.get_by_role("link", name="Mijn opnames").first.click()
    page.get_by_role("link", name="Nieuwe opname").click()
    today = timezone.localdate()
    page.get_by_label("Familiecode").fill("GEZIN-12")
    page.get_by_label("Elke ouder of verzorger met gezag").check()
    page.get_by_label("Toestemming gegeven op").fill(today.isoformat())
    page.get_by_label("Toestemming geldig tot en met").fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Toestemming vastleggen en verder").click()

    page.get_by_role("link", name="Film uploaden").wait_for()
    recording = Recording.objects.get()
    assert recording.family.code == "GEZIN-12"
    assert page.url.endswith(reverse("recordings:detail", args=[recording.pk]))


def test_invalid_family_code_is_explained_in_dutch(page, professional):
    browser_login(page, professional)
    page.goto(reverse("recordings:create"))
    page.get_by_label("Familiecode").fill("123456789")
    page.get_by_role("button", name="Toestemming vastleggen en verder").click()
    page.get_by_text("Dit lijkt op een burgerservicenummer").wait_for()
    assert page.get_by_label("Familiecode").input_value() == "123456789"


def test_progress_updates_by_polling_and_the_player_appears_when_ready(
    page, professional, recording, tmp_path
):
    recording.status = Recording.Status.PROCESSING
    recording.progress = 10
    recording.save()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    browser_login(page, professional)
    page.goto(reverse("recordings:detail", args=[recording.pk]))
    assert page.locator("#recording-progress").evaluate("(el) => el.value") == 10

    Recording.objects.filter(pk=recording.pk).update(progress=60)
    page.wait_for_function("() => document.getElementById('recording-progress').value === 60", timeout=10_000)

    _process_real_clip(recording, tmp_path)
    video = page.locator("#player video")
    video.wait_for(timeout=15_000)
    # The browser fetched the film through the signed stream link (Range requests) and read its header.
    page.wait_for_function("() => document.querySelector('#player video')?.readyState >= 1", timeout=15_000)
    assert video.evaluate("(v) => Math.round(v.duration)") == 4
    # The page noticed "ready" by polling and offered the low rendition without reloading.
    page.locator("#quality option[value=low]").wait_for(state="attached", timeout=15_000)
    page.get_by_label("Kwaliteit").select_option("low")
    page.wait_for_function(
        "() => document.querySelector('#player video').currentSrc.includes('/stream/')"
        " && document.querySelector('#player video').readyState >= 1"
    )
    assert not [text for text in errors if "Content Security Policy" in text]


def _process_real_clip(recording: Recording, folder: Path) -> None:
    clip = folder / "clip.mp4"
    _make_clip(clip)
    with clip.open("rb") as handle:
        key = default_storage.save(
            f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.mp4", File(handle)
        )
    Recording.objects.filter(pk=recording.pk).update(original_key=key, original_size=clip.stat().st_size)
    recording_process(recording_id=str(recording.pk))
    assert Rendition.objects.filter(recording=recording, kind="high", status="done").exists()
