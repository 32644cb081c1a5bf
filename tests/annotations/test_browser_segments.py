"""A film still being encoded plays in the workspace from its finished segments, and annotating it then
gives the same times as on the final film; once the high rendition is done the player moves over to it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from annotations.models import Annotation
from recordings.models import Recording, Rendition
from tests.annotations.conftest import create_recording, store
from tests.conftest import browser_login
from tests.recordings.segment_films import *  # noqa: F403  (the segment_films fixture)
from tests.recordings.segment_films import source_of, store_segments

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIDEO = "document.querySelector('[data-video]')"
PLAYER = "document.querySelector('[data-annotation-workspace]').workspace.player"


def buffered(page) -> list[list[float]]:  # type: ignore[no-untyped-def]
    return page.evaluate(
        f"() => {{ const b = {VIDEO}.buffered; return [...Array(b.length).keys()].map(i => [b.start(i), b.end(i)]); }}"
    )


@pytest.fixture
def early(professional) -> Recording:
    return create_recording(professional, status=Recording.Status.PLAYABLE, duration_ms=6000, has_audio=True)


@pytest.mark.django_db(transaction=True)
def test_early_form_plays_seeks_and_annotates_then_moves_to_the_final_film(
    page,
    professional,
    early,
    segment_films,
    vib_categories,
):
    store_segments(early, segment_films[:2])  # the third is still being encoded
    workspace = reverse("annotations:workspace", args=[early.pk])
    browser_login(page, professional)
    page.goto(workspace)
    assert page.evaluate(f"() => {VIDEO}.src").startswith("blob:")
    page.wait_for_function(f"() => {VIDEO}.buffered.length && {VIDEO}.buffered.end(0) > 3.9")
    ranges = buffered(page)
    assert len(ranges) == 1 and ranges[0][0] < 0.05 and ranges[0][1] < 4.1, ranges
    notice = page.locator(".segments-notice")
    expect(notice).to_have_text("Wordt nog voorbereid: de eerste 4 seconden kun je al bekijken.")

    page.locator("[data-player-focus]").focus()
    page.keyboard.press("k")
    page.wait_for_function(f"() => {VIDEO}.currentTime > 0.5")
    page.keyboard.press("k")
    assert page.evaluate(f"() => {VIDEO}.paused")

    # Beyond what is finished the seek stops at its end; the third segment arrives with the next poll.
    page.evaluate(f"() => {PLAYER}.seek(5500)")
    page.wait_for_function(f"() => !{VIDEO}.seeking")
    assert page.evaluate(f"() => {VIDEO}.currentTime") == 3  # a second before the end of what is finished
    store_segments(early, segment_films[2:])
    page.wait_for_function(f"() => {VIDEO}.buffered.end({VIDEO}.buffered.length - 1) > 5.9", timeout=45_000)
    ranges = buffered(page)
    assert len(ranges) == 1 and ranges[0][0] < 0.05, ranges  # the three segments join up without a gap
    expect(notice).to_have_text("Wordt nog voorbereid: de eerste 6 seconden kun je al bekijken.")

    # Into the last segment, then a moment marked there is stored at exactly that time.
    page.evaluate(f"() => {PLAYER}.seek(4520)")
    page.wait_for_function(f"() => !{VIDEO}.seeking && {VIDEO}.readyState >= 2")
    assert page.evaluate(f"() => {PLAYER}.currentMs()") == 4520
    page.keyboard.press("m")
    assert page.get_by_label("Begin", exact=True).input_value() == "0:04.520"
    page.get_by_label("Categorie", exact=True).select_option(label=vib_categories[0].name)
    page.get_by_label("Tekst", exact=True).fill("Vader lacht naar de baby")
    page.get_by_role("button", name="Aantekening opslaan").press("Enter")
    page.locator(".annotation").filter(has_text="Vader lacht").wait_for()
    assert Annotation.objects.get(text="Vader lacht naar de baby").start_ms == 4520

    # The final film is joined: the player switches to it at the same moment, still paused.
    film = source_of(segment_films).read_bytes()
    key = store(early, "mp4", film)
    Rendition.objects.create(
        recording=early, kind=Rendition.Kind.HIGH, key=key, size=len(film), status="done"
    )
    page.wait_for_function(
        f"() => !{VIDEO}.src.startsWith('blob:') && {VIDEO}.readyState >= 1", timeout=30_000
    )
    page.wait_for_function(f"() => Math.abs({VIDEO}.currentTime - 4.52) < 0.001")
    assert page.evaluate(f"() => {VIDEO}.paused")
    assert page.locator(".segments-notice").count() == 0
    assert page.locator(f'[data-marker="{Annotation.objects.get().pk}"]').count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_recording_page_plays_the_early_form_too(page, professional, early, segment_films):
    store_segments(early, segment_films)
    detail = reverse("recordings:detail", args=[early.pk])
    browser_login(page, professional)
    page.goto(detail)
    video = "document.querySelector('#player video')"
    page.wait_for_function(f"() => {video}.buffered.length && {video}.buffered.end(0) > 5.9")
    expect(page.locator(".segments-notice")).to_contain_text("de eerste 6 seconden")
    page.evaluate(f"() => {{ {video}.muted = true; return {video}.play(); }}")
    page.wait_for_function(f"() => {video}.currentTime > 0.3")
    # The family withdraws consent while the film is being watched: the next poll takes it away.
    early.family.consents.update(withdrawn_at=timezone.now())
    page.wait_for_function(f"() => !{video}.getAttribute('src')", timeout=45_000)
    expect(page.locator(".segments-notice")).to_have_count(0)
