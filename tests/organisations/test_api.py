import pytest
from django.test import Client

from tests.conftest import api_token_for


def test_a_personal_token_authenticates_the_api(professional):
    response = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {api_token_for(professional)}")
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
