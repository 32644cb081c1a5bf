"""The public verification page at /verify/<code>/."""

import pytest
from django.core.cache import cache
from django.test import Client

from certification.models import Certificate
from certification.views import VERIFY_RATE_PER_MINUTE


@pytest.fixture(autouse=True)
def _fresh_rate_limit():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def get(code: str, ip: str = "192.0.2.10"):  # type: ignore[no-untyped-def]
    return Client(HTTP_ACCEPT_LANGUAGE="nl").get(f"/verify/{code}/", REMOTE_ADDR=ip)


def test_a_valid_code_shows_name_course_status_and_dates_without_login(certified, professional):
    response = get(certified.verification_code)
    assert response.status_code == 200
    text = response.content.decode()
    assert professional.full_name in text
    assert "DMOP" in text and "Gecertificeerd" in text
    assert certified.valid_until.strftime("%Y") in text
    # Nothing beyond what the page promises: no e-mail address, no organisation.
    assert professional.email not in text
    assert professional.organisation.name not in text


def test_an_unknown_code_finds_nothing_with_404(certified):
    response = get("not-a-real-code-" + "x" * 10)
    assert response.status_code == 404
    text = response.content.decode()
    assert "Er is geen certificaat gevonden" in text
    assert certified.professional.full_name not in text


def test_an_overlong_code_finds_nothing(db):
    assert get("a" * 300).status_code == 404


def test_the_hash_of_a_code_is_not_a_code(certified):
    assert get(certified.verification_code_sha256).status_code == 404


def test_a_revoked_certificate_shows_revoked(certified):
    Certificate.objects.filter(pk=certified.pk).update(status=Certificate.Status.REVOKED)
    response = get(certified.verification_code)
    assert response.status_code == 200
    assert "Ingetrokken" in response.content.decode()


def test_a_certificate_still_in_training_is_not_found(professional):
    from certification.services import certification_start_training

    certificate = certification_start_training(professional=professional, course_code="vib")
    assert get(certificate.verification_code).status_code == 404


def test_too_many_lookups_from_one_address_are_refused_with_429(certified):
    for _ in range(VERIFY_RATE_PER_MINUTE):
        assert get("unknown-code-aaaaaaaaaa").status_code == 404
    response = get(certified.verification_code)
    assert response.status_code == 429
    assert "Te veel verificatieverzoeken" in response.content.decode()
    assert certified.professional.full_name not in response.content.decode()
    # Another address is not affected.
    assert get(certified.verification_code, ip="192.0.2.99").status_code == 200


def test_verify_accepts_only_get(certified):
    response = Client().post(f"/verify/{certified.verification_code}/")
    assert response.status_code == 405


def test_the_lookup_goes_by_the_sha256_of_the_code_not_the_code(certified):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert get(certified.verification_code).status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert certified.verification_code_sha256 in sql
    assert certified.verification_code not in sql
