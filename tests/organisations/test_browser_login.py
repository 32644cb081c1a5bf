import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_logs_in_with_password_and_authenticator_code_in_a_real_browser(page, supervisor):
    browser_login(page, supervisor)
    expect(page.locator("h1")).to_have_text("Welkom, Sanne")
    expect(page.locator(".roles")).to_contain_text("Supervisor")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_keeps_the_person_on_the_login_page(page, professional):
    page.goto("/login/")
    page.get_by_label("E-mailadres").fill(professional.email)
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.url.endswith("/login/")
    expect(page.locator(".form-errors")).to_be_visible()
