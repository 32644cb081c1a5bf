"""The upload page in a real browser: choose a film, watch it go up, survive dropped connections and reloads."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recordings.models import Recording
from tests.conftest import browser_login
from uploads.models import Upload

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session")
def tiny_film(tmp_path_factory) -> Path:
    """Two seconds of H.264 + AAC, as a laptop would record it (about 60 kB)."""
    path = tmp_path_factory.mktemp("films") / "huisbezoek.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-movflags", "+faststart", str(path)],
        check=True,
    )  # fmt: skip
    return path


def detail_path(recording: Recording) -> str:
    return reverse("recordings:detail", args=[recording.pk])


def test_a_chosen_film_is_uploaded_and_becomes_playable(page, professional, recording, tiny_film):
    browser_login(page, professional)
    page.goto(reverse("uploads:page", args=[recording.pk]))

    page.get_by_label("Kies een video").set_input_files(str(tiny_film))

    page.wait_for_url(f"**{detail_path(recording)}", timeout=60_000)
    recording.refresh_from_db()
    assert recording.original_size == tiny_film.stat().st_size
    # Celery runs eagerly in tests: the pipeline ran in the web thread after the last PATCH.
    assert recording.status in (Recording.Status.PLAYABLE, Recording.Status.READY), recording.rejection_reason


def test_a_dropped_connection_is_retried_and_a_reload_continues_at_the_servers_offset(
    page, professional, recording, tiny_film
):
    browser_login(page, professional)
    page.goto(reverse("uploads:page", args=[recording.pk]))
    page.locator("#upload").evaluate("(element) => { element.dataset.chunkSize = '20000'; }")
    patches: list[str] = []
    page.on(
        "request", lambda r: patches.append(r.headers.get("upload-offset")) if r.method == "PATCH" else None
    )

    # The network fails after the first chunk: the page keeps retrying with a growing delay.
    def first_chunk_only(route):  # type: ignore[no-untyped-def]
        if route.request.headers.get("upload-offset") == "0":
            route.continue_()
        else:
            route.abort("connectionreset")

    page.route("**/uploads/*/", first_chunk_only)
    page.get_by_label("Kies een video").set_input_files(str(tiny_film))
    page.get_by_text("De verbinding is verbroken").wait_for()
    assert Upload.objects.get().offset == 20000

    page.unroute("**/uploads/*/")
    page.reload()
    page.get_by_text("Een upload van deze opname is onderbroken").wait_for()
    patches.clear()
    page.locator("#upload").evaluate("(element) => { element.dataset.chunkSize = '20000'; }")
    page.get_by_label("Kies een video").set_input_files(str(tiny_film))

    page.wait_for_url(f"**{detail_path(recording)}", timeout=60_000)
    assert patches[0] == "20000"
    recording.refresh_from_db()
    assert recording.original_size == tiny_film.stat().st_size


def test_pause_stops_sending_and_resume_continues(page, professional, recording, tiny_film):
    browser_login(page, professional)
    page.goto(reverse("uploads:page", args=[recording.pk]))
    page.locator("#upload").evaluate("(element) => { element.dataset.chunkSize = '20000'; }")
    held = []

    # The second chunk hangs (a slow network), so there is time to press Pause.
    def hold_second_chunk(route):  # type: ignore[no-untyped-def]
        if route.request.headers.get("upload-offset") == "20000":
            held.append(route)
        else:
            route.continue_()

    page.route("**/uploads/*/", hold_second_chunk)
    page.get_by_label("Kies een video").set_input_files(str(tiny_film))
    expect(page.locator("#upload-percent")).not_to_have_text("0%")
    # One of the two at a time: while sending only Pause shows, once paused only Resume.
    expect(page.get_by_role("button", name="Hervatten")).to_be_hidden()
    page.get_by_role("button", name="Pauzeren").click()

    page.get_by_text("Gepauzeerd").wait_for()
    expect(page.get_by_role("button", name="Pauzeren")).to_be_hidden()
    assert Upload.objects.get().offset == 20000
    page.unroute("**/uploads/*/")
    page.get_by_role("button", name="Hervatten").click()

    page.wait_for_url(f"**{detail_path(recording)}", timeout=60_000)
    recording.refresh_from_db()
    assert recording.original_size == tiny_film.stat().st_size
