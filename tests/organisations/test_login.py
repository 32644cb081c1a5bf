"""Logging in: e-mail and password, the second factor by role, the rate limit and session expiry."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.two_factor import totp_current_code
from tests.conftest import PASSWORD


def _login(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": email, "password": password})


def test_professional_logs_in_with_email_and_password_without_second_factor(professional):
    client = Client()
    response = _login(client, professional.email)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_login_page_is_dutch_by_default(db):
    content = Client().get(reverse("login")).content.decode()
    assert "Inloggen" in content
    assert "E-mailadres" in content


def test_wrong_password_shows_error_and_keeps_email(professional):
    response = _login(Client(), professional.email, "wrong-password-123")
    assert response.status_code == 200
    assert professional.email in response.content.decode()


@pytest.mark.parametrize("persona", ["supervisor", "coordinator", "administrator"])
def test_roles_with_access_to_others_data_must_pass_the_second_factor(request, persona):
    user = request.getfixturevalue(persona)
    client = Client()
    assert _login(client, user.email).status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_verify")
    assert client.get("/api/me/").status_code == 403

    device = TOTPDevice.objects.get(user=user)
    ok = client.post(reverse("two_factor_verify"), {"token": totp_current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_code_is_refused_and_further_attempts_are_throttled(supervisor):
    client = Client()
    _login(client, supervisor.email)
    wrong = client.post(reverse("two_factor_verify"), {"token": "000000"})
    assert "Die code klopt niet" in wrong.content.decode()
    # django-otp throttles after a failure, so even the right code is refused straight away.
    device = TOTPDevice.objects.get(user=supervisor)
    client.post(reverse("two_factor_verify"), {"token": totp_current_code(device)})
    assert client.get(reverse("home")).status_code == 302


def test_coordinator_without_device_is_sent_to_setup_and_can_enrol(coordinator):
    TOTPDevice.objects.filter(user=coordinator).delete()
    client = Client()
    _login(client, coordinator.email)
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_verify")
    setup = client.get(reverse("two_factor_verify"))
    assert setup["Location"] == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    client.post(reverse("two_factor_setup"), {"token": totp_current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_second_factor_form_rejects_non_digits(supervisor):
    client = Client()
    _login(client, supervisor.email)
    response = client.post(reverse("two_factor_verify"), {"token": "abcdef"})
    assert "Vul de zes cijfers in" in response.content.decode()


def test_professional_who_turned_on_two_factor_must_use_it(professional):
    TOTPDevice.objects.create(user=professional, name="own", confirmed=True)
    client = Client()
    _login(client, professional.email)
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_verify")


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(professional):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, professional.email, "not-the-password-1")
    locked = _login(client, professional.email)
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_other_users_are_not_locked_by_someone_elses_failures(professional, colleague):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, professional.email, "not-the-password-1")
    assert _login(client, colleague.email).status_code == 302


def test_sessions_expire_after_idle_time_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_weak_passwords_are_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["kort", "12345678901234", "password1234"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("een-lang-en-sterk-wachtwoord")


def test_logout_needs_post(client_for, professional):
    client = client_for(professional)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
