"""The coordinator's flow in a real browser: form a cohort, enrol a professional, assign a DMOP trainer to
the enrolment, plan a training day; the trainer registers the group's attendance and the professional's
progress moves."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Cohort, Enrolment, TrainingDay
from organisations.models import SupervisorAssignment, User
from tests.conftest import browser_login, make_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login/**")


@pytest.mark.django_db(transaction=True)
def test_the_coordinator_enrols_a_professional_and_plans_a_training_day_the_trainer_registers_it(
    page, coordinator, professional, supervisor_unassigned, curricula
):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    dmop_trainer = make_person(
        "tom@dmop-trainer.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP
    )

    browser_login(page, coordinator)
    page.get_by_role("link", name="Groepen en trainingsdagen").first.click()
    page.get_by_role("link", name="Nieuwe groep").click()
    page.get_by_label("Opleidingsversie").select_option(str(curricula["dmop"].pk))
    page.get_by_label("Naam").fill("Noord 2026-1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De groep Noord 2026-1 is aangemaakt.")).to_be_visible()

    page.get_by_label("Professional").select_option(label=professional.full_name)
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text(f"{professional.full_name} is ingeschreven in deze groep.")).to_be_visible()
    expect(page.get_by_role("link", name=professional.full_name, exact=True)).to_be_visible()

    page.get_by_role("link", name=professional.full_name, exact=True).click()
    page.get_by_role("link", name="Supervisoren en trainers").click()
    page.get_by_label("Supervisor of trainer").select_option(label=dmop_trainer.full_name)
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_text("De supervisor is aan deze inschrijving toegewezen.")).to_be_visible()
    expect(page.locator("tr[data-assignment]", has_text=dmop_trainer.full_name)).to_be_visible()
    assert (
        SupervisorAssignment.objects.active()
        .filter(supervisor=dmop_trainer, enrolment__professional=professional)
        .exists()
    )
    page.goto(f"/courses/cohorts/{Cohort.objects.get(name='Noord 2026-1').pk}/")

    page.get_by_role("link", name="Trainingsdag plannen").click()
    page.get_by_label("Trainingsdag").select_option(
        label="Trainingsdag 1: het DMO-protocol en de vijf domeinen"
    )
    page.get_by_label("Datum").fill(yesterday)
    page.get_by_label("Plaats").fill("Zaal 3, Groningen")
    page.get_by_label("Trainer").select_option(label=supervisor_unassigned.full_name)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De trainingsdag is gepland.")).to_be_visible()
    expect(page.get_by_text("De trainer heeft de aanwezigheid nog niet geregistreerd.")).to_be_visible()
    _log_out(page)

    browser_login(page, supervisor_unassigned)
    page.get_by_role("link", name="Mijn trainingsdagen").first.click()
    day = TrainingDay.objects.get()
    page.get_by_role("row", name="Zaal 3, Groningen").get_by_role("link").click()
    page.wait_for_url(f"**/courses/training-days/{day.pk}/")
    expect(page.get_by_label(professional.full_name)).to_be_checked()
    page.get_by_role("button", name="Aanwezigheid van de groep registreren").click()
    expect(page.get_by_text("De aanwezigheid van de hele groep is geregistreerd.")).to_be_visible()
    expect(page.get_by_text(f"{professional.full_name}: aanwezig")).to_be_visible()
    _log_out(page)

    enrolment = Enrolment.objects.get(professional=professional)
    day.refresh_from_db()
    assert day.attendance_registered
    browser_login(page, professional)
    page.goto("/courses/")
    expect(page.locator(f"#progress-{enrolment.pk}")).to_have_attribute("value", "14")
    row = page.locator("tr", has_text="Trainingsdag 1: het DMO-protocol en de vijf domeinen")
    expect(row.get_by_text("Behaald")).to_be_visible()
