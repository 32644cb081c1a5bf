"""Every read and write of annotations leaves a NEN 7513 line, refusals too, and the owner sees them all."""

from django.urls import reverse

from annotations.models import Annotation
from audit.models import AccessLogEntry

JSON = "application/json"


def lines(**filters) -> list[tuple[str, str, str]]:
    return [
        (line.action_code, line.object_type, line.outcome["decision"])
        for line in AccessLogEntry.objects.filter(**filters).order_by("pk")
    ]


def test_reading_and_writing_annotations_is_logged_with_the_film_and_family(
    client_for, professional, supervisor, recording, make_annotation, category
):
    analysis = make_annotation(recording, professional)
    client = client_for(supervisor)
    assert client.get(reverse("api-recording-annotations", args=[recording.pk])).status_code == 200
    assert client.get(reverse("api-annotation", args=[analysis.pk])).status_code == 200
    payload = {"start_ms": 2000, "text": "Mooi moment", "category": category.pk, "kind": "feedback"}
    created = client.post(
        reverse("api-recording-annotations", args=[recording.pk]), payload, content_type=JSON
    )
    assert created.status_code == 201, created.content
    mine = reverse("api-annotation", args=[created.json()["id"]])
    assert client.patch(mine, {"text": "Heel mooi moment"}, content_type=JSON).status_code == 200
    assert client.delete(mine).status_code == 204
    assert lines(user=supervisor) == [
        ("R", "annotations", "granted"),
        ("R", "annotation", "granted"),
        ("C", "annotation", "granted"),
        ("U", "annotation", "granted"),
        ("D", "annotation", "granted"),
    ]
    every = AccessLogEntry.objects.filter(user=supervisor)
    assert {(line.recording_id, line.family_code, line.organisation_id) for line in every} == {
        (str(recording.pk), recording.family.code, professional.organisation_id)
    }
    assert {line.role for line in every} == {"supervisor"}


def test_a_refused_change_leaves_a_line(client_for, professional, supervisor, recording, make_annotation):
    analysis = make_annotation(recording, professional)
    url = reverse("api-annotation", args=[analysis.pk])
    response = client_for(supervisor).patch(url, {"text": "overschreven"}, content_type=JSON)
    assert response.status_code == 403
    assert Annotation.objects.get(pk=analysis.pk).text != "overschreven"
    refused = AccessLogEntry.objects.get()
    assert (refused.action_code, refused.object_type, refused.object_id) == (
        "U",
        "annotation",
        str(analysis.pk),
    )
    assert refused.outcome["decision"] == "refused" and refused.outcome["details"] == {"status": 403}
    assert refused.recording_id == str(recording.pk)


def test_outsiders_and_coordinators_are_refused_and_logged(client_for, colleague, coordinator, recording):
    url = reverse("annotations:workspace", args=[recording.pk])
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 403
    assert lines(recording_id=str(recording.pk)) == [("R", "recording", "refused")] * 2
    assert [line.outcome["details"]["status"] for line in AccessLogEntry.objects.order_by("pk")] == [404, 403]


def test_an_unknown_id_is_refused_and_logged_without_a_family(client_for, colleague, db):
    url = reverse("api-annotation", args=[999999])
    assert client_for(colleague).get(url).status_code == 404
    refused = AccessLogEntry.objects.get()
    assert (refused.object_id, refused.family_code, refused.organisation_id) == ("999999", "", None)


def test_who_viewed_my_recording_shows_everything_that_touched_it(
    client_for, professional, supervisor, colleague, recording, make_annotation
):
    make_annotation(recording, professional)
    client_for(supervisor).get(reverse("api-recording-annotations", args=[recording.pk]))
    client_for(supervisor).get(reverse("api-annotations-csv", args=[recording.pk]))
    client_for(colleague).get(reverse("annotations:workspace", args=[recording.pk]))
    page = client_for(professional).get(reverse("recordings:access_log", args=[recording.pk]))
    entries = list(page.context["page"].object_list)
    assert [(line.user_id, line.action_code) for line in entries] == [
        (colleague.pk, "R"),
        (supervisor.pk, "E"),
        (supervisor.pk, "R"),
    ]
    text = page.content.decode()
    assert "Aantekeningen" in text and "Geweigerd" in text and "Supervisor" in text
    assert page["Cache-Control"] == "private, no-store"
