"""Which film the players load: the HEVC copy only in a browser that says it decodes HEVC.

Debian's chromium has no HEVC decoder (no hardware decoding here), so it gets the H.264 high rendition;
a browser that reports HEVC support (``MediaSource.isTypeSupported`` answering yes for hvc1, as Safari
and Chrome with a hardware decoder do) gets the copy. Both players, the annotation workspace and the
recording page, choose through the same module (``annotations/workspace/sources.js``).
"""

import subprocess
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

from recordings.models import Recording, Rendition
from tests.annotations.conftest import store
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What a browser with an HEVC decoder answers; every other question goes to the real function.
REPORTS_HEVC = """
const real = MediaSource.isTypeSupported.bind(MediaSource);
MediaSource.isTypeSupported = (type) => type.includes('codecs="hvc1.') || real(type);
"""
PREPARING = "De film wordt nog voorbereid voor deze browser"


@pytest.fixture(autouse=True)
def views_imported() -> None:
    """Import every view before the browser's first request: on a busy machine importing them (the
    monitoring's statistics libraries) takes longer than a page may."""
    get_resolver().url_patterns  # noqa: B018


@pytest.fixture(scope="session")
def hevc_film(tmp_path_factory) -> tuple[bytes, str]:
    """A real 2-second HEVC film in an MP4 tagged hvc1, and its codecs string."""
    from recordings import video

    path = tmp_path_factory.mktemp("hevc") / "hevc.mp4"
    subprocess.run(
        ["ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc2=size=320x180:rate=25:duration=2", "-c:v", "libx265", "-preset", "ultrafast",
         "-x265-params", "log-level=error", "-tag:v", "hvc1", "-movflags", "+faststart", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path.read_bytes(), video.probe(Path(path)).video_codecs


def add_hevc(recording: Recording, hevc_film: tuple[bytes, str]) -> None:
    content, codecs = hevc_film
    key = store(recording, "mp4", content)
    Rendition.objects.create(
        recording=recording,
        kind=Rendition.Kind.HEVC,
        key=key,
        size=len(content),
        codecs=codecs,
        status="done",
    )


def workspace_choice(page, recording: Recording) -> str:
    """The rendition kind the workspace's player loaded (its link may have been refreshed since)."""
    page.goto(reverse("annotations:workspace", args=[recording.pk]))
    page.wait_for_function("() => document.querySelector('[data-annotation-workspace]')?.workspace")
    return page.evaluate(
        """() => {
          const player = document.querySelector('[data-annotation-workspace]').workspace.player;
          return player.video.getAttribute('src') === player.source.url ? player.source.kind : '';
        }"""
    )


def detail_choice(page, recording: Recording) -> str:
    page.goto(reverse("recordings:detail", args=[recording.pk]))
    page.wait_for_function("() => document.querySelector('#player video')?.getAttribute('src')")
    return page.evaluate(
        """() => {
          const video = document.querySelector('#player video');
          const src = video.getAttribute('src');
          return ['hevc', 'high', 'low'].find((kind) => video.dataset[kind] === src) || '';
        }"""
    )


@pytest.mark.django_db(transaction=True)
def test_debian_chromium_plays_the_h264_rendition_of_a_film_that_also_has_an_hevc_copy(
    page, professional, playable_recording, vib_categories, hevc_film
):
    add_hevc(playable_recording, hevc_film)
    browser_login(page, professional)

    assert not page.evaluate(f"MediaSource.isTypeSupported('video/mp4; codecs=\"{hevc_film[1]}\"')")
    assert workspace_choice(page, playable_recording) == "high"
    assert detail_choice(page, playable_recording) == "high"


@pytest.mark.django_db(transaction=True)
def test_a_browser_that_decodes_hevc_plays_the_copy(
    page, professional, playable_recording, vib_categories, hevc_film
):
    add_hevc(playable_recording, hevc_film)
    browser_login(page, professional)
    page.add_init_script(REPORTS_HEVC)

    assert workspace_choice(page, playable_recording) == "hevc"
    assert detail_choice(page, playable_recording) == "hevc"


@pytest.mark.django_db(transaction=True)
def test_with_only_the_hevc_copy_a_browser_without_hevc_is_told_the_film_is_being_prepared(
    page, professional, playable_recording, vib_categories, hevc_film
):
    playable_recording.renditions.filter(kind__in=["high", "low"]).delete()
    Recording.objects.filter(pk=playable_recording.pk).update(status=Recording.Status.PLAYABLE)
    add_hevc(playable_recording, hevc_film)
    browser_login(page, professional)

    page.goto(reverse("annotations:workspace", args=[playable_recording.pk]))
    assert PREPARING in page.locator("[data-preparing]").inner_text()
    assert page.locator("[data-video]").get_attribute("src") is None

    page.goto(reverse("recordings:detail", args=[playable_recording.pk]))
    assert PREPARING in page.locator("#player [data-preparing]").inner_text()
    assert page.locator("#player video").get_attribute("src") is None
