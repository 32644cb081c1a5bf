"""axe-core on the workspace, with annotations, the open form and a linked pair: no serious violation."""

import pytest
from django.urls import reverse

from annotations.models import Annotation
from tests.conftest import browser_login
from tests.test_accessibility import AXE, _serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_the_workspace_and_the_cycle_page_have_no_serious_accessibility_violations(
    page, professional, supervisor, playable_recording, vib_categories
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    first = Annotation.objects.create(
        recording=playable_recording, author=professional, start_ms=200, category=vib_categories[0],
        text="Kind wijst", kind="analysis",
    )  # fmt: skip
    Annotation.objects.create(
        recording=playable_recording, author=supervisor, start_ms=900, end_ms=1500, category=vib_categories[1],
        text="Mooi ontvangen", kind="feedback", visibility="draft", linked_to=first,
    )  # fmt: skip
    browser_login(page, supervisor)

    page.goto(reverse("annotations:workspace", args=[playable_recording.pk]))
    page.locator(".annotation").nth(1).wait_for()
    page.locator("[data-player-focus]").focus()
    page.keyboard.press("m")
    workspace_problems = _serious_violations(page)
    page.goto(reverse("annotations:cycle", args=[playable_recording.cycle_id]))
    cycle_problems = _serious_violations(page)

    assert workspace_problems == []
    assert cycle_problems == []
