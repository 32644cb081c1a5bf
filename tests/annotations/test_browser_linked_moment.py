"""A notification's link opens the workspace at the remark's moment, with the remark pointed out."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import Notification
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_the_notification_link_opens_the_film_at_the_remark(
    page, client_for, professional, supervisor, playable_recording, category, make_annotation
):
    make_annotation(playable_recording, supervisor, start_ms=300, kind="feedback", text="Eerste")
    remark = make_annotation(
        playable_recording, supervisor, start_ms=1500, kind="feedback", visibility="draft", text="Mooi moment"
    )
    client_for(supervisor).post(reverse("api-annotation-publish", args=[remark.pk]))
    link = Notification.objects.get(user=professional).url

    browser_login(page, professional)
    page.goto(reverse("notifications:list"))
    page.get_by_role("link", name="Nieuwe feedback op je film van").click()

    page.wait_for_url(f"**{link}")
    page.wait_for_function("() => document.querySelector('[data-video]')?.currentTime > 1.4")
    pointed_out = page.locator(".annotation.pointed-out")
    expect(pointed_out).to_have_count(1)
    expect(pointed_out).to_contain_text("Mooi moment")
    expect(pointed_out).to_be_in_viewport()
