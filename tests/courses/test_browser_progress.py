"""The flow that matters: a professional sees their progress; the trainer registers attendance; it moves."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses import services
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login/**")


@pytest.mark.django_db(transaction=True)
def test_the_professional_sees_progress_change_after_the_trainer_registers_attendance(
    page, professional, supervisor, curricula
):
    enrolment = services.enrolment_create(
        professional=professional, version=curricula["dmop"], supervisor=supervisor
    )

    browser_login(page, professional)
    page.get_by_role("link", name="Mijn opleiding").first.click()
    expect(page.get_by_role("heading", name="DMOP-training")).to_be_visible()
    expect(page.locator(f"#progress-{enrolment.pk}")).to_have_attribute("value", "0")
    expect(page.get_by_text("Volgende stap:")).to_be_visible()
    _log_out(page)

    browser_login(page, supervisor)
    page.get_by_role("link", name="Mijn deelnemers").first.click()
    page.get_by_role("link", name=professional.full_name).first.click()
    page.get_by_role("link", name="Aanwezigheid registreren").first.click()
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De aanwezigheid is geregistreerd.")).to_be_visible()
    _log_out(page)

    browser_login(page, professional)
    page.goto("/courses/")
    expect(page.locator(f"#progress-{enrolment.pk}")).to_have_attribute("value", "14")
    expect(page.get_by_text("Voortgang: 14% (1 van 7 onderdelen behaald)")).to_be_visible()
    row = page.locator("tr", has_text="Trainingsdag 1: het DMO-protocol en de vijf domeinen")
    expect(row.get_by_text("Behaald")).to_be_visible()
