"""Personal API tokens: made by their owner on a page, shown once, hashed, short-lived, nobody else's."""

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import ApiToken
from organisations.tokens import api_token_create
from tests.conftest import api_token_for, login

URL = reverse("organisations:api_tokens")


def me(key: str) -> int:
    return Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_person_makes_a_token_that_is_shown_once_and_stored_as_a_hash(client_for, professional):
    client = client_for(professional)
    response = client.post(URL, {"name": "upload script", "days": "30"})
    key = response.context["key"]
    assert response.status_code == 200 and key in response.content.decode()
    token = ApiToken.objects.get(user=professional)
    assert token.name == "upload script" and key not in (token.key_hash, token.prefix)
    assert key[:8] == token.prefix
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    assert me(key) == 200
    assert key not in client.get(URL).content.decode()


def test_a_token_lasts_at_most_90_days_and_needs_a_name(client_for, professional):
    response = client_for(professional).post(URL, {"name": "", "days": "91"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_an_expired_token_does_not_work(professional):
    token, key = api_token_create(user=professional, name="x", days=1, second_factor=False)
    assert me(key) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert me(key) == 401


def test_a_password_change_kills_every_token(professional):
    key = api_token_for(professional)
    professional.set_password("another-long-password-2026")
    professional.save()
    assert me(key) == 401


def test_deactivation_kills_every_token(professional):
    key = api_token_for(professional)
    professional.is_active = False
    professional.save()
    assert me(key) == 401


def test_supervisor_tokens_only_work_when_made_after_two_factor_login(supervisor):
    _token, key = api_token_create(user=supervisor, name="x", days=5, second_factor=False)
    assert me(key) == 401
    assert me(api_token_for(supervisor)) == 200


def test_the_page_records_whether_the_second_factor_was_passed(coordinator):
    client = login(Client(), coordinator)
    key = client.post(URL, {"name": "script", "days": "7"}).context["key"]
    assert ApiToken.objects.get().made_with_second_factor
    assert me(key) == 200


def test_a_coordinator_cannot_reach_the_page_before_the_second_factor(coordinator):
    client = Client()
    client.force_login(coordinator)  # password only: the second factor not yet passed
    response = client.post(URL, {"name": "script", "days": "7"})
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_verify")
    assert not ApiToken.objects.exists()


def test_only_the_owner_deletes_a_token(client_for, professional, colleague):
    token, key = api_token_create(user=professional, name="x", days=5, second_factor=False)
    delete = reverse("organisations:api_token_delete", args=[token.pk])
    assert client_for(colleague).post(delete).status_code == 404
    assert me(key) == 200
    assert client_for(professional).post(delete).status_code == 302
    assert me(key) == 401


def test_the_list_shows_only_ones_own_tokens(client_for, professional, colleague, django_assert_num_queries):
    for name in ("a", "b", "c"):
        api_token_create(user=professional, name=name, days=5, second_factor=False)
    api_token_create(user=colleague, name="colleague's", days=5, second_factor=False)
    client = client_for(professional)
    client.get(URL)
    # session, user, second-factor device, tokens, and the session's idle-timeout refresh (3)
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert [token.name for token in response.context["tokens"]] == ["c", "b", "a"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method(client_for, professional, method):
    assert getattr(client_for(professional), method)(URL).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(db):
    assert Client().get(URL)["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "path",
    ["/admin/authtoken/tokenproxy/add/", "/admin/authtoken/token/", "/admin/organisations/apitoken/add/"],
)
def test_the_admin_neither_shows_nor_makes_tokens_for_other_people(client_for, administrator, path):
    assert client_for(administrator).get(path).status_code == 404


def test_no_token_model_is_in_the_admin():
    assert ApiToken not in admin.site._registry
    assert not any(model._meta.app_label == "authtoken" for model in admin.site._registry)
