"""The flow that matters: a supervisor records the eighth session, discussing two cycles of the trainee;
the trainee's route moves and the interim evaluation opens."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import services, supervision
from courses.models import SupervisionSession
from recordings.models import VibCycle
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login/**")


@pytest.mark.django_db(transaction=True)
def test_the_eighth_session_discussing_two_cycles_moves_the_route_and_opens_the_interim_evaluation(
    page, professional, supervisor, curricula
):
    enrolment = services.enrolment_create(
        professional=professional, version=curricula["vib"], supervisor=supervisor
    )
    first, second = (
        VibCycle.objects.create(professional=professional, enrolment=enrolment) for _ in range(2)
    )
    today = timezone.localdate()
    for weeks in range(8, 1, -1):  # seven earlier sessions
        supervision.supervision_session_record(
            actor=supervisor,
            held_on=today - datetime.timedelta(weeks=weeks),
            duration_minutes=60,
            enrolments=[enrolment],
        )
    milestone = enrolment.version.requirements.get(kind="milestone")

    browser_login(page, supervisor)
    page.goto(f"/courses/enrolments/{enrolment.pk}/")
    expect(
        page.locator(f'tr[data-requirement="{milestone.pk}"]').get_by_text("Nog niet mogelijk")
    ).to_be_visible()
    page.get_by_role("link", name="Supervisie vastleggen").first.click()
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Duur (minuten)").fill("75")
    page.locator(f'input[name="cycles"][value="{first.pk}"]').check()
    page.locator(f'input[name="cycles"][value="{second.pk}"]').check()
    page.get_by_label("Verslag").fill("Twee cycli besproken: initiatieven van het kind.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De supervisiebijeenkomst is vastgelegd.")).to_be_visible()
    page.goto(f"/courses/enrolments/{enrolment.pk}/")
    expect(page.get_by_role("link", name="Evaluatie vastleggen")).to_be_visible()
    _log_out(page)

    session = SupervisionSession.objects.latest("pk")
    assert set(session.cycles.all()) == {first, second}
    browser_login(page, professional)
    page.goto("/courses/")
    row = page.locator("tr", has_text="Supervisies eerste traject")
    expect(row.get_by_text("8 / 16")).to_be_visible()
    page.locator("li[data-session] a").first.click()
    expect(page.get_by_text("Twee cycli besproken")).to_be_visible()
