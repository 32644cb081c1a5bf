"""The certificate PDF: who may download it and what it says."""

import base64
import re
import zlib

from certification.models import Certificate
from certification.services import certification_start_training


def pdf_text(data: bytes) -> str:
    """The text operators of every (Flate-compressed) content stream, enough to find printed strings."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\n?endstream", data, re.DOTALL):
        raw = match.group(1).strip()
        try:  # reportlab writes ASCII85 over Flate by default
            chunks.append(zlib.decompress(base64.a85decode(raw, adobe=True)).decode("latin-1"))
        except ValueError:
            chunks.append(zlib.decompress(raw).decode("latin-1"))
    return "\n".join(chunks)


def url(certificate: Certificate) -> str:
    return f"/certification/{certificate.pk}/certificate.pdf"


def test_the_professional_downloads_a_dutch_pdf_with_the_verification_code(
    certified, professional, client_for
):
    response = client_for(professional).get(url(certified))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert certified.verification_code in text
    assert professional.full_name in text
    assert "Certificaat" in text and "Geldig tot en met" in text and "N. Tan / NCJ" in text
    assert f"/verify/{certified.verification_code}/" in text
    # No personal data in the file name.
    assert professional.full_name not in response["Content-Disposition"]


def test_the_coordinator_and_administrator_may_download(certified, coordinator, administrator, client_for):
    assert client_for(coordinator).get(url(certified)).status_code == 200
    assert client_for(administrator).get(url(certified)).status_code == 200


def test_the_supervisor_sees_the_certificate_but_may_not_download_it(certified, supervisor, client_for):
    assert client_for(supervisor).get(url(certified)).status_code == 403


def test_outsiders_get_404(certified, colleague, coordinator_other_org, supervisor_unassigned, client_for):
    for user in (colleague, coordinator_other_org, supervisor_unassigned):
        assert client_for(user).get(url(certified)).status_code == 404


def test_anonymous_is_sent_to_login(certified, client_for):
    response = client_for(None).get(url(certified))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_there_is_no_pdf_while_in_training(professional, client_for):
    certificate = certification_start_training(professional=professional, course_code="vib")
    response = client_for(professional).get(url(certificate))
    assert response.status_code == 302


def test_the_pdf_accepts_only_get(certified, professional, client_for):
    assert client_for(professional).post(url(certified)).status_code == 405
