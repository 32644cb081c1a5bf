"""The certificate page, "my certificates", and recording and confirming renewal evidence."""

import datetime

from django.utils import timezone

from certification.models import RecertificationEvidence
from certification.services import certification_start_training


def detail(certificate) -> str:  # type: ignore[no-untyped-def]
    return f"/certification/{certificate.pk}/"


def test_my_certificates_lists_the_professionals_own(certified, colleague, trainer, professional, client_for):
    certification_start_training(professional=colleague, course_code="vib")
    response = client_for(professional).get("/certification/")
    assert response.status_code == 200
    assert list(response.context["certificates"]) == [certified]
    assert "Gecertificeerd" in response.content.decode()


def test_my_certificates_without_any(professional, client_for):
    response = client_for(professional).get("/certification/")
    assert "Je hebt nog geen certificaten" in response.content.decode()


def test_my_certificates_needs_login_and_get(professional, client_for):
    assert client_for(None).get("/certification/").status_code == 302
    assert client_for(professional).post("/certification/").status_code == 405


def test_the_owner_sees_status_dates_history_and_the_pdf_link(certified, professional, client_for):
    response = client_for(professional).get(detail(certified))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Eindtoets behaald." in text  # the grant's motivation in the history
    assert certified.verification_code in text
    assert f"/certification/{certified.pk}/certificate.pdf" in text
    assert "Bewijs vastleggen" in text
    assert "Intrekken" not in text


def test_the_supervisor_and_coordinator_see_it_the_supervisor_without_code(
    certified, supervisor, coordinator, client_for
):
    supervisor_page = client_for(supervisor).get(detail(certified))
    assert supervisor_page.status_code == 200
    assert certified.verification_code not in supervisor_page.content.decode()
    assert client_for(coordinator).get(detail(certified)).status_code == 200


def test_outsiders_get_404(certified, colleague, coordinator_other_org, supervisor_unassigned, client_for):
    for outsider in (colleague, coordinator_other_org, supervisor_unassigned):
        assert client_for(outsider).get(detail(certified)).status_code == 404
    assert client_for(colleague).get("/certification/999999/").status_code == 404


def test_the_detail_needs_login_and_get(certified, professional, client_for):
    assert client_for(None).get(detail(certified)).status_code == 302
    assert client_for(professional).post(detail(certified)).status_code == 405


def test_the_professional_records_evidence(certified, professional, client_for):
    day = timezone.localdate() - datetime.timedelta(days=3)
    response = client_for(professional).post(
        detail(certified) + "evidence/",
        {"kind": "intervision", "date": day.isoformat(), "note": "Intervisie regio"},
    )
    assert response.status_code == 302
    evidence = RecertificationEvidence.objects.get()
    assert (evidence.kind, evidence.date, evidence.recorded_by, evidence.is_confirmed) == (
        "intervision",
        day,
        professional,
        False,
    )


def test_evidence_with_a_future_date_is_refused_and_the_input_kept(certified, professional, client_for):
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(professional).post(
        detail(certified) + "evidence/",
        {"kind": "presentation", "date": day.isoformat(), "note": "Mijn notitie"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "De datum kan niet in de toekomst liggen." in text
    assert "Mijn notitie" in text
    assert not RecertificationEvidence.objects.exists()


def test_evidence_without_kind_is_refused(certified, professional, client_for):
    response = client_for(professional).post(detail(certified) + "evidence/", {"date": "", "note": ""})
    assert response.status_code == 400
    assert "Dit veld is vereist." in response.content.decode()


def test_only_the_professional_records_evidence(certified, supervisor, coordinator, colleague, client_for):
    data = {"kind": "intervision", "date": timezone.localdate().isoformat()}
    assert client_for(supervisor).post(detail(certified) + "evidence/", data).status_code == 403
    assert client_for(coordinator).post(detail(certified) + "evidence/", data).status_code == 403
    assert client_for(colleague).post(detail(certified) + "evidence/", data).status_code == 404
    assert client_for(None).post(detail(certified) + "evidence/", data).status_code == 302
    assert not RecertificationEvidence.objects.exists()


def test_recording_evidence_accepts_only_post(certified, professional, client_for):
    assert client_for(professional).get(detail(certified) + "evidence/").status_code == 405


def add_evidence(certificate, professional, kind="intervision", days_ago=5):  # type: ignore[no-untyped-def]
    return RecertificationEvidence.objects.create(
        certificate=certificate,
        kind=kind,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        recorded_by=professional,
    )


def test_the_supervisor_confirms_evidence(certified, professional, supervisor, client_for):
    evidence = add_evidence(certified, professional)
    response = client_for(supervisor).post(detail(certified) + f"evidence/{evidence.pk}/confirm/")
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.confirmed_by == supervisor and evidence.is_confirmed


def test_others_may_not_confirm(
    certified, professional, coordinator, colleague, supervisor_unassigned, client_for
):
    evidence = add_evidence(certified, professional)
    url = detail(certified) + f"evidence/{evidence.pk}/confirm/"
    assert client_for(professional).post(url).status_code == 403  # not their own evidence to confirm
    assert client_for(coordinator).post(url).status_code == 403
    assert client_for(colleague).post(url).status_code == 404
    assert client_for(supervisor_unassigned).post(url).status_code == 404
    assert client_for(professional).get(url).status_code == 405
    evidence.refresh_from_db()
    assert not evidence.is_confirmed


def test_evidence_of_another_certificate_is_not_found(certified, colleague, trainer, supervisor, client_for):
    other = certification_start_training(professional=colleague, course_code="dmop")
    evidence = add_evidence(other, colleague)
    url = detail(certified) + f"evidence/{evidence.pk}/confirm/"
    assert client_for(supervisor).post(url).status_code == 404


def test_my_certificates_costs_the_same_queries_for_one_or_two(
    certified, professional, trainer, client_for, django_assert_num_queries
):
    from certification.services import certification_grant

    client = client_for(professional)
    client.get("/certification/")
    with django_assert_num_queries(7) as one:
        client.get("/certification/")
    certification_grant(professional=professional, course_code="vib", signed_off_by=trainer, motivation="")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/certification/")
    assert len(response.context["certificates"]) == 2
