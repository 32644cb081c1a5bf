"""In a real browser: the professional finds their certificate and records renewal evidence."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.models import RecertificationEvidence
from tests.conftest import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_professional_records_renewal_evidence_from_my_certificates(page, certified, professional):
    browser_login(page, professional)
    page.get_by_role("link", name="Mijn certificaten").first.click()
    page.get_by_role("link", name="DMOP", exact=True).click()
    page.get_by_role("heading", name="Geschiedenis").wait_for()
    page.get_by_label("Soort").select_option("intervision")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_label("Toelichting").fill("Intervisie met het team")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("Het bewijs is vastgelegd").wait_for()
    expect(page.get_by_role("cell", name="Intervisiebijeenkomst")).to_be_visible()
    assert RecertificationEvidence.objects.get().note == "Intervisie met het team"
