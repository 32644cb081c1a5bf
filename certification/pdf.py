"""The certificate as a one-page Dutch PDF with a QR code that opens the public verification page."""

from __future__ import annotations

import io

import qrcode
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certification.models import Certificate
from certification.services import policy_for


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify", args=[certificate.verification_code])


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    # Drawn as vector squares from the QR matrix: sharp at any zoom and no image library involved.
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                top = y + size - (row_index + 1) * cell
                canvas.rect(x + col_index * cell, top, cell, cell, stroke=0, fill=1)


def certificate_pdf(certificate: Certificate) -> bytes:
    """Render the PDF in Dutch regardless of the viewer's interface language (it is a formal document)."""
    with translation.override("nl"):
        return _render(certificate)


def _render(certificate: Certificate) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height))
    course = certificate.get_course_code_display()
    canvas.setTitle(gettext("Certificate %(course)s") % {"course": course})
    canvas.setLineWidth(2)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    center = width / 2
    canvas.setFont("Helvetica-Bold", 30)
    canvas.drawCentredString(center, height - 45 * mm, gettext("Certificate"))
    canvas.setFont("Helvetica", 15)
    canvas.drawCentredString(
        center, height - 60 * mm, gettext("SamenStarten · %(course)s") % {"course": course}
    )
    canvas.setFont("Helvetica", 13)
    canvas.drawCentredString(center, height - 78 * mm, gettext("This certifies that"))
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawCentredString(center, height - 92 * mm, certificate.professional.full_name)
    canvas.setFont("Helvetica", 13)
    canvas.drawCentredString(
        center,
        height - 106 * mm,
        gettext("has completed the %(course)s training and meets the requirements for certification.")
        % {"course": course},
    )
    _draw_details(canvas, certificate, 30 * mm, 60 * mm)
    url = verification_url(certificate)
    _draw_qr(canvas, url, width - 75 * mm, 22 * mm, 45 * mm)
    canvas.setFont("Helvetica", 8)
    canvas.drawCentredString(width - 52.5 * mm, 18 * mm, gettext("Scan to verify"))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_details(canvas: Canvas, certificate: Certificate, x: float, y: float) -> None:
    assert certificate.certified_on is not None and certificate.valid_until is not None
    lines = [
        (gettext("Certified on"), date_format(certificate.certified_on, "j F Y")),
        (gettext("Valid through"), date_format(certificate.valid_until, "j F Y")),
        (gettext("Issued by"), policy_for(certificate.course_code).issuing_body),
        (gettext("Verification code"), certificate.verification_code),
        (gettext("Verify at"), verification_url(certificate)),
    ]
    for index, (label, value) in enumerate(lines):
        line_y = y - index * 7 * mm
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(x, line_y, label)
        canvas.setFont("Courier" if label == gettext("Verification code") else "Helvetica", 11)
        canvas.drawString(x + 45 * mm, line_y, value)
