"""With 2,000 annotations the workspace draws every marker and follows playback to the right moment.

Speed is not asserted here (a clock in a test fails on a busy machine and proves nothing): the test prints
its timings and ``bench/workspace_browser.py`` runs it repeatedly and reports medians in bench/RESULTS.md.
"""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_the_workspace_follows_playback_through_2000_annotations(
    page, professional, playable_recording, category
):
    # A 30-minute film annotated every 0.9 s (the file itself is the 2-second fixture; following playback
    # is driven through the player's clock below).
    playable_recording.duration_ms = 30 * 60_000
    playable_recording.save(update_fields=["duration_ms"])
    Annotation.objects.bulk_create(
        Annotation(recording=playable_recording, author=professional, start_ms=i * 900, category=category,
                   text=f"moment {i}", kind="analysis", visibility="published")
        for i in range(2000)
    )  # fmt: skip
    browser_login(page, professional)

    page.goto(reverse("annotations:workspace", args=[playable_recording.pk]), wait_until="commit")
    page.locator(".annotation").nth(1999).wait_for(state="attached")
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const workspace = document.querySelector("[data-annotation-workspace]").workspace;
            let now = 0;
            workspace.player.currentMs = () => now;
            const started = performance.now();
            for (now = 0; now < 1_800_000; now += 9000) workspace.follow();
            const perFollow = (performance.now() - started) / 200;
            now = 1_000_000;
            workspace.follow();
            const ready = performance.getEntriesByName("workspace-ready:ws")[0].startTime;
            return { startup: ready - nav.responseEnd, response: nav.responseEnd, perFollow };
        }"""
    )

    # Read by bench/workspace_browser.py; keep the wording.
    print(
        f"BENCH 2000 annotations: response {timing['response']:.1f} ms, startup {timing['startup']:.1f} ms, "
        f"follow {timing['perFollow']:.3f} ms"
    )
    assert page.locator("[data-timeline-markers] .marker").count() == 2000
    # At 1,000,000 ms the latest moment is number 1111 (999,900 ms): playback lands on it, not elsewhere.
    active_texts = page.locator(".annotation.active").all_inner_texts()
    assert any("moment 1111" in text for text in active_texts)
    assert not any("moment 1112" in text for text in active_texts)
    assert page.locator("[data-timeline-markers] .marker.active").count() >= 1
