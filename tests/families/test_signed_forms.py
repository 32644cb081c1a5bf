"""The signed consent form: stored like a film (private storage, random key), opened only by the
family's professional and coordinator, every store and read logged."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessLogEntry
from families.models import SignedForm

PDF = b"%PDF-1.4 handtekeningen van beide ouders"


def upload(client, family, content: bytes = PDF, name: str = "Formulier fam Jansen.pdf"):
    return client.post(
        reverse("families:form_upload", args=[family.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_professional_stores_the_form_under_a_random_key(client_for, professional, recording):
    response = upload(client_for(professional), recording.family)

    assert response.status_code == 302
    form = SignedForm.objects.get()
    assert form.key.startswith("consent-forms/")
    assert "Jansen" not in form.key and recording.family.code not in form.key
    with default_storage.open(form.key, "rb") as stored:
        assert stored.read() == PDF
    entry = AccessLogEntry.objects.get(object_type="consent_form")
    assert (entry.action_code, entry.family_code) == ("C", recording.family.code)


def test_the_coordinator_opens_it_without_caching_and_it_is_logged(
    client_for, professional, coordinator, recording
):
    upload(client_for(professional), recording.family)
    form = SignedForm.objects.get()

    response = client_for(coordinator).get(reverse("families:form_download", args=[form.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert "Jansen" not in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(
        object_type="consent_form", action_code="R", user=coordinator
    ).exists()


def test_the_supervisor_sees_the_ledger_but_not_the_form(client_for, professional, supervisor, recording):
    upload(client_for(professional), recording.family)
    form = SignedForm.objects.get()
    client = client_for(supervisor)
    assert client.get(reverse("families:detail", args=[recording.family.pk])).status_code == 200
    assert client.get(reverse("families:form_download", args=[form.pk])).status_code == 403


def test_outsiders_get_404(client_for, professional, colleague, coordinator_other_org, recording):
    upload(client_for(professional), recording.family)
    form = SignedForm.objects.get()
    for person in (colleague, coordinator_other_org):
        assert client_for(person).get(reverse("families:form_download", args=[form.pk])).status_code == 404
        assert upload(client_for(person), recording.family).status_code == 404
    assert SignedForm.objects.count() == 1


def test_a_file_that_is_no_photo_or_pdf_is_refused_in_dutch(client_for, professional, recording):
    response = upload(client_for(professional), recording.family, b"MZ\x90\x00 an executable", "form.pdf")
    assert response.status_code == 400
    assert "foto (JPEG of PNG) of een PDF" in response.content.decode()
    assert not SignedForm.objects.exists()
