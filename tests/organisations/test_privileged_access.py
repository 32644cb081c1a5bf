"""Nobody acts as someone else: no TOTP secrets after enrolment, no password set for another person,
no redirect off the site after the second factor, nothing with health data kept in a cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.two_factor import totp_current_code, totp_secret_base32


def test_the_admin_shows_no_totp_secret(client_for, administrator, supervisor):
    device = TOTPDevice.objects.get(user=supervisor)
    secret = totp_secret_base32(device)
    client = client_for(administrator)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert device.key not in page and secret not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code in (302, 404)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code in (302, 404)
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_the_setup_page_does_not_show_the_secret_again_after_enrolment(client_for, supervisor):
    device = TOTPDevice.objects.get(user=supervisor)
    response = client_for(supervisor).get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert totp_secret_base32(device) not in response.content.decode()


def test_an_administrator_cannot_set_another_persons_password(client_for, administrator, professional):
    url = f"/admin/organisations/user/{professional.pk}/password/"
    response = client_for(administrator).post(
        url, {"password1": "Nieuw-wachtwoord-2026!", "password2": "Nieuw-wachtwoord-2026!"}
    )
    assert response.status_code == 403
    professional.refresh_from_db()
    assert not professional.check_password("Nieuw-wachtwoord-2026!")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://evil.example/phish", "/"),
        ("//evil.example/", "/"),
        ("/recordings/", "/recordings/"),
    ],
)
def test_after_the_second_factor_only_addresses_on_this_site_are_followed(supervisor, target, expected):
    client = Client()
    client.force_login(supervisor)
    device = TOTPDevice.objects.get(user=supervisor)
    url = reverse("two_factor_verify") + "?next=" + target
    response = client.post(url, {"token": totp_current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("path", ["/", "/recordings/", "/api/me/", "/audit/"])
def test_answers_with_personal_data_are_never_cached(client_for, administrator, path):
    response = client_for(administrator).get(path)
    assert "no-store" in response["Cache-Control"]


def test_answers_to_api_tokens_are_never_cached(professional):
    from tests.conftest import api_token_for

    response = Client().get("/api/recordings/", HTTP_AUTHORIZATION=f"Token {api_token_for(professional)}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
