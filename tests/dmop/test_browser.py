"""The flow that matters: refused before the trainer's final sign-off, recording a contact moment after it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from courses import services as course_services
from courses.models import Requirement
from dmop.models import ContactMoment, Domain, PlanAction
from tests.conftest import browser_login
from tests.courses.conftest import curricula, meet_all_but_final, requirement_of  # noqa: F401 (fixture)
from tests.dmop.conftest import TODAY, add_partner

DOMAIN_LABELS = [
    "Competentie van de ouders",
    "Rol van de partner",
    "Sociaal netwerk",
    "Gebeurtenissen en omstandigheden",
    "Welbevinden van het kind",
]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_tool_opens_after_the_final_sign_off_and_a_contact_moment_is_recorded(
    page,
    professional,
    supervisor,
    supervisor_unassigned,
    organisation,
    curricula,  # noqa: F811
):
    enrolment = course_services.enrolment_create(
        professional=professional, version=curricula["dmop"], supervisor=supervisor
    )
    partner = add_partner(organisation, "Opvoedpoli Noord", [Domain.PARENT_COMPETENCE])
    browser_login(page, professional)

    page.goto("/dmop/")
    expect(page.get_by_role("heading", name="DMOP-certificaat vereist")).to_be_visible()
    expect(page.get_by_text("Je bent nog in opleiding voor DMOP")).to_be_visible()
    expect(page.get_by_role("link", name="Bekijk mijn opleidingsvoortgang")).to_be_visible()

    # The trainer's final sign-off, through the courses service the final-assessment page uses.
    meet_all_but_final(enrolment, supervisor, supervisor_unassigned)
    course_services.final_assessment_record(
        enrolment=enrolment,
        requirement=requirement_of(enrolment, Requirement.Kind.FINAL_ASSESSMENT),
        actor=supervisor,
        passed=True,
        motivation="Beheerst het DMOP zelfstandig.",
    )

    page.goto("/dmop/")
    expect(page.get_by_role("heading", name="DMOP-instrument")).to_be_visible()
    page.get_by_role("link", name="Gezin registreren").click()
    page.get_by_label("Familiecode").fill("Jansen Piet")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("nooit een naam of BSN").first).to_be_visible()
    page.get_by_label("Familiecode").fill("NRD-2026-017")
    born = TODAY() - datetime.timedelta(days=56)  # the 8-week double contact moment fits today
    page.get_by_label("Geboortemaand van het kind").fill(born.strftime("%Y-%m"))
    page.get_by_role("button", name="Registreren").click()

    expect(page.get_by_role("heading", name=re.compile("Contactmoment vastleggen"))).to_be_visible()
    page.get_by_label("Datum").fill(TODAY().isoformat())
    page.get_by_label(re.compile(r"^Contactmoment")).select_option(label="Dubbel contactmoment 8 weken")
    for label, level in zip(
        DOMAIN_LABELS,
        ["1 · lichte zorg", "0 · geen zorg", "2 · zorg", "0 · geen zorg", "0 · geen zorg"],
        strict=True,
    ):
        domain = page.get_by_role("group", name=label)
        domain.get_by_label("Andere risicofactoren").fill(f"Risico bij {label.lower()}")
        domain.get_by_label(level).check()
    parents = page.get_by_role("group", name="Competentie van de ouders")
    parents.get_by_label("Afspraak (plan van aanpak)").fill("Opvoedondersteuning rond slapen")
    parents.get_by_label("Samen met de ouders afgesproken").check()
    parents.get_by_label("Verwijzing naar").select_option(label=partner.name)
    page.get_by_role("button", name="Contactmoment opslaan").click()

    expect(page.get_by_text("Contactmoment vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Opvoedondersteuning rond slapen")).to_be_visible()
    moment = ContactMoment.objects.get(family__code="NRD-2026-017")
    assert moment.professional == professional
    assert moment.assessments.get(domain=Domain.SOCIAL_NETWORK).concern_level == 2
    assert PlanAction.objects.get().referral == partner

    page.get_by_role("link", name=re.compile("Gezin NRD-2026-017")).click()
    expect(page.get_by_role("table", name="Mate van zorg per domein en contactmoment")).to_be_visible()
