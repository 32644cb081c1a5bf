from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token


def test_token_from_drf_create_token_authenticates_the_api(professional):
    call_command("drf_create_token", professional.email, stdout=StringIO())
    token = Token.objects.get(user=professional)
    response = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["email"] == professional.email
    assert response.json()["roles"] == ["professional"]


def test_api_refuses_anonymous_and_bad_tokens(db):
    assert Client().get("/api/me/").status_code in (401, 403)
    assert Client().get("/api/me/", HTTP_AUTHORIZATION="Token not-a-token").status_code == 401


def test_session_login_works_for_the_api_too(client_for, supervisor):
    response = client_for(supervisor).get("/api/me/")
    assert response.status_code == 200
    assert "supervisor" in response.json()["roles"]


@pytest.mark.slow
def test_openapi_schema_lists_the_endpoints(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/me/" in response.json()["paths"]
