"""Every error page is Dutch, in the site's layout, and says in one sentence what to do next."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from vibplatform.urls import urlpatterns as project_urls


def refuse(request):  # type: ignore[no-untyped-def]
    raise PermissionDenied


def crash(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


urlpatterns = [path("refuse/", refuse), path("crash/", crash), *project_urls]

LAYOUT = 'class="topbar"'


def _page(response) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    assert LAYOUT in body
    assert 'href="/"' in body  # the way back to the overview
    return body


@pytest.mark.urls("tests.vibplatform.test_error_pages")
def test_403_is_dutch_and_names_the_next_step(client_for, professional):
    response = client_for(professional).get("/refuse/")
    assert response.status_code == 403
    body = _page(response)
    assert "Geen toegang" in body
    assert "vraag je coördinator" in body
    assert "Forbidden" not in body


def test_a_real_refusal_uses_the_same_page(client_for, professional):
    response = client_for(professional).get(reverse("certification:overview"))
    assert response.status_code == 403
    assert "Geen toegang" in _page(response)


def test_404_is_dutch_and_keeps_the_menu_for_a_logged_in_user(client_for, professional):
    response = client_for(professional).get("/bestaat-niet/")
    assert response.status_code == 404
    body = _page(response)
    assert "Pagina niet gevonden" in body
    assert "Uitloggen" in body
    assert "Not Found" not in body


def test_400_is_dutch(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/login/", HTTP_HOST="elders.example")
    assert response.status_code == 400
    body = _page(response)
    assert "Dit verzoek kon niet worden verwerkt" in body
    assert "Bad Request" not in body


@pytest.mark.urls("tests.vibplatform.test_error_pages")
def test_500_is_dutch_and_in_the_layout(db):
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    body = _page(response)
    assert "Er ging iets mis" in body
    assert "probeer het over een paar minuten opnieuw" in body.lower()


def test_csrf_failure_is_dutch(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = _page(response)
    assert "Formulier verlopen" in body


def test_429_after_too_many_logins_is_dutch_in_the_layout(client, professional, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": professional.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": professional.email, "password": "wrong"})
    assert response.status_code == 429
    body = _page(response)
    assert "Te veel pogingen" in body
    assert "Probeer het over 15 minuten opnieuw" in body


@pytest.mark.urls("tests.vibplatform.test_storage_unavailable")
def test_503_is_dutch_in_the_layout(client_for, professional):
    response = client_for(professional).get("/storage-page/")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in _page(response)


def test_every_page_names_a_favicon(client_for, professional):
    body = client_for(professional).get("/").content.decode()
    assert 'rel="icon"' in body
    assert client_for(professional).get("/static/img/favicon.svg").status_code == 200
