import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Annotation
from notifications.models import Notification


def _list_url(recording) -> str:
    return reverse("api-recording-annotations", args=[recording.pk])


def _detail_url(annotation, action: str = "") -> str:
    url = reverse("api-annotation", args=[annotation.pk])
    return f"{url}{action}/" if action else url


# --- List ----------------------------------------------------------------------------------------------------


def test_the_owner_lists_annotations_in_order_of_time(client_for, professional, recording, make_annotation):
    late = make_annotation(recording, professional, start_ms=9000)
    early = make_annotation(recording, professional, start_ms=10, end_ms=900)

    response = client_for(professional).get(_list_url(recording))

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [early.pk, late.pk]
    assert body["results"][0] | {"start_ms": 10, "end_ms": 900, "kind": "analysis"} == body["results"][0]


def test_the_list_api_uses_a_constant_number_of_queries(
    client_for, professional, recording, category, django_assert_num_queries
):
    client = client_for(professional)

    def bulk(count: int) -> None:
        Annotation.objects.bulk_create(
            Annotation(recording=recording, author=professional, start_ms=i, category=category, text="x",
                       kind="analysis") for i in range(count)
        )  # fmt: skip

    bulk(10)
    client.get(_list_url(recording))
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(_list_url(recording)).json()["results"]) == 10
    bulk(1990)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_list_url(recording) + "?limit=2000")
    assert len(response.json()["results"]) == 2000


def test_anonymous_callers_are_refused(client_for, recording):
    assert client_for(None).get(_list_url(recording)).status_code in (401, 403)


@pytest.mark.parametrize("persona", ["colleague", "professional_other_org", "supervisor_unassigned"])
def test_outsiders_get_404(client_for, recording, persona, request):
    assert client_for(request.getfixturevalue(persona)).get(_list_url(recording)).status_code == 404


def test_a_coordinator_may_not_read_the_annotations_of_a_film(client_for, coordinator, recording):
    assert client_for(coordinator).get(_list_url(recording)).status_code == 403


def test_put_on_the_list_is_not_allowed(client_for, professional, recording):
    assert (
        client_for(professional).put(_list_url(recording), {}, content_type="application/json").status_code
        == 405
    )


# --- Create --------------------------------------------------------------------------------------------------


def test_the_owner_adds_a_range_of_own_analysis(client_for, professional, recording, category):
    payload = {"start_ms": 1500, "end_ms": 4200, "category": category.pk, "text": "Kind neemt initiatief"}

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 201, response.json()
    annotation = Annotation.objects.get()
    assert (annotation.start_ms, annotation.end_ms, annotation.kind, annotation.visibility) == (
        1500,
        4200,
        "analysis",
        "published",
    )
    assert annotation.author == professional


def test_a_supervisors_feedback_starts_as_a_draft_and_notifies_nobody(
    client_for, supervisor, recording, category
):
    payload = {"start_ms": 100, "category": category.pk, "text": "Mooi ontvangen"}

    response = client_for(supervisor).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["kind"] == "feedback"
    assert response.json()["visibility"] == "draft"
    assert not Notification.objects.exists()


def test_the_trainee_cannot_write_supervisor_feedback(client_for, professional, recording, category):
    payload = {"start_ms": 100, "category": category.pk, "text": "x", "kind": "feedback"}

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 400
    assert "kind" in response.json()


@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        ({"start_ms": 60_000}, "start_ms", "De start moet binnen de opname liggen (voor 1:00.000)."),
        ({"start_ms": 5000, "end_ms": 5000}, "end_ms", "Het einde moet na de start komen."),
        (
            {"start_ms": 5000, "end_ms": 60_001},
            "end_ms",
            "Het einde moet binnen de opname liggen (uiterlijk 1:00.000).",
        ),
        ({"start_ms": -1}, "start_ms", None),
    ],
)
def test_times_outside_the_recording_get_a_field_error_and_nothing_is_saved(
    client_for, professional, recording, category, times, field, message
):
    payload = {"category": category.pk, "text": "x"} | times

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert not Annotation.objects.exists()


def test_a_category_of_another_vocabulary_gets_a_field_error(client_for, professional, recording):
    from annotations.models import Category
    from courses.models import CourseVersion

    dmop = CourseVersion.objects.get(course__code="dmop", is_current=True)
    foreign = Category.objects.create(course_version=dmop, name="Elders", colour="#000000")

    response = client_for(professional).post(
        _list_url(recording),
        {"start_ms": 1, "category": foreign.pk, "text": "x"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["category"] == ["Deze categorie hoort niet bij de woordenlijst van deze opname."]


def test_a_text_longer_than_the_limit_is_refused(client_for, professional, recording, category):
    payload = {"start_ms": 1, "category": category.pk, "text": "x" * 2001}

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 400
    assert "text" in response.json()


def test_a_link_to_an_annotation_on_another_recording_is_refused(
    client_for, professional, recording, category, make_annotation
):
    from tests.annotations.conftest import create_recording

    elsewhere = make_annotation(create_recording(professional), professional)
    payload = {"start_ms": 1, "category": category.pk, "text": "x", "linked_to": elsewhere.pk}

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 400
    assert "linked_to" in response.json()


def test_a_reception_can_be_linked_to_the_initiative_it_answers(
    client_for, professional, recording, vib_categories, make_annotation
):
    initiative = make_annotation(recording, professional, start_ms=1000, category=vib_categories[0])
    payload = {
        "start_ms": 1800,
        "category": vib_categories[1].pk,
        "text": "Moeder ontvangt",
        "linked_to": initiative.pk,
    }

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["linked_to"] == initiative.pk


def test_a_coordinator_cannot_annotate(client_for, coordinator, recording, category):
    response = client_for(coordinator).post(
        _list_url(recording),
        {"start_ms": 1, "category": category.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_unassigned_supervisor_cannot_annotate(client_for, supervisor_unassigned, recording, category):
    response = client_for(supervisor_unassigned).post(
        _list_url(recording),
        {"start_ms": 1, "category": category.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


# --- Edit, delete --------------------------------------------------------------------------------------------


def test_the_author_edits_the_text_and_times(client_for, professional, recording, make_annotation):
    annotation = make_annotation(recording, professional)

    response = client_for(professional).patch(
        _detail_url(annotation), {"text": "Nieuw", "end_ms": 3000}, content_type="application/json"
    )

    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.text, annotation.end_ms) == ("Nieuw", 3000)
    assert annotation.edited_at is not None


def test_an_edit_with_the_end_before_the_start_is_refused_and_changes_nothing(
    client_for, professional, recording, make_annotation
):
    annotation = make_annotation(recording, professional, start_ms=5000)

    response = client_for(professional).patch(
        _detail_url(annotation), {"end_ms": 10}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "end_ms" in response.json()
    annotation.refresh_from_db()
    assert annotation.end_ms is None


def test_nobody_edits_someone_elses_annotation(
    client_for, professional, supervisor, recording, make_annotation
):
    annotation = make_annotation(recording, professional)

    response = client_for(supervisor).patch(
        _detail_url(annotation), {"text": "x"}, content_type="application/json"
    )

    assert response.status_code == 403


def test_someone_elses_draft_does_not_exist_for_the_trainee(
    client_for, professional, supervisor, recording, make_annotation
):
    draft = make_annotation(recording, supervisor, kind="feedback", visibility="draft")

    assert client_for(professional).get(_detail_url(draft)).status_code == 404
    assert client_for(professional).post(_detail_url(draft, "replies"), {"text": "x"}).status_code == 404


def test_the_author_deletes_an_annotation_with_its_replies(
    client_for, professional, supervisor, recording, make_annotation
):
    annotation = make_annotation(recording, professional)
    Annotation.objects.create(
        recording=recording, author=supervisor, parent=annotation, start_ms=1000, text="ja", kind="reply"
    )

    response = client_for(professional).delete(_detail_url(annotation))

    assert response.status_code == 204
    assert not Annotation.objects.exists()


def test_an_unknown_annotation_is_not_found(client_for, professional):
    assert client_for(professional).get("/api/annotations/999999/").status_code == 404


# --- Publish, reply, resolve ---------------------------------------------------------------------------------


def test_publishing_feedback_shows_it_to_the_trainee_and_notifies_them(
    client_for, professional, supervisor, recording, make_annotation, django_capture_on_commit_callbacks
):
    draft = make_annotation(recording, supervisor, kind="feedback", visibility="draft")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(_detail_url(draft, "publish"))

    assert response.status_code == 200
    assert response.json()["visibility"] == "published"
    notification = Notification.objects.get(user=professional)
    assert f"#annotation-{draft.pk}" in notification.url
    assert FAMILY_CODE_NOT_IN(notification.body)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [professional.email]
    assert client_for(professional).get(_detail_url(draft)).status_code == 200


def FAMILY_CODE_NOT_IN(text: str) -> bool:  # noqa: N802
    from tests.annotations.conftest import FAMILY_CODE

    return FAMILY_CODE not in text


def test_only_the_author_publishes_a_draft(client_for, professional, supervisor, recording, make_annotation):
    own_draft = make_annotation(recording, professional, visibility="draft")

    assert client_for(supervisor).post(_detail_url(own_draft, "publish")).status_code == 404


def test_publishing_all_drafts_sends_one_notification(
    client_for, professional, supervisor, recording, make_annotation
):
    for start in (100, 200, 300):
        make_annotation(recording, supervisor, start_ms=start, kind="feedback", visibility="draft")

    response = client_for(supervisor).post(reverse("api-recording-annotations-publish", args=[recording.pk]))

    assert response.status_code == 200
    assert len(response.json()) == 3
    assert Notification.objects.filter(user=professional).count() == 1
    assert not Annotation.objects.filter(visibility="draft").exists()


def test_the_trainee_replies_to_feedback_and_the_supervisor_is_notified(
    client_for, professional, supervisor, recording, make_annotation
):
    feedback = make_annotation(recording, supervisor, kind="feedback")

    response = client_for(professional).post(_detail_url(feedback, "replies"), {"text": "Dank, ik let erop"})

    assert response.status_code == 201
    reply = Annotation.objects.get(parent=feedback)
    assert (reply.kind, reply.start_ms, reply.author) == ("reply", feedback.start_ms, professional)
    assert Notification.objects.filter(user=supervisor).count() == 1
    listed = client_for(supervisor).get(_list_url(recording)).json()["results"]
    assert reply.pk in [row["id"] for row in listed]


def test_an_empty_reply_is_refused(client_for, professional, supervisor, recording, make_annotation):
    feedback = make_annotation(recording, supervisor, kind="feedback")

    response = client_for(professional).post(_detail_url(feedback, "replies"), {"text": "  "})

    assert response.status_code == 400
    assert "text" in response.json()


def test_the_trainee_marks_feedback_resolved(
    client_for, professional, supervisor, recording, make_annotation
):
    feedback = make_annotation(recording, supervisor, kind="feedback")

    response = client_for(professional).post(
        _detail_url(feedback, "resolve"), {"resolved": True}, content_type="application/json"
    )

    assert response.status_code == 200
    feedback.refresh_from_db()
    assert feedback.resolved is True


def test_get_on_publish_is_not_allowed(client_for, supervisor, recording, make_annotation):
    draft = make_annotation(recording, supervisor, kind="feedback", visibility="draft")

    assert client_for(supervisor).get(_detail_url(draft, "publish")).status_code == 405


def test_the_api_is_documented_in_the_openapi_schema(client_for, professional):
    schema = client_for(professional).get("/api/schema/").content.decode()

    for path in (
        "/api/recordings/{id}/annotations/",
        "/api/recordings/{id}/annotations.vtt",
        "/api/recordings/{id}/annotations.csv",
        "/api/annotations/{id}/",
        "/api/annotations/{id}/publish/",
        "/api/annotations/{id}/replies/",
    ):
        assert path in schema


def test_a_published_question_of_the_trainee_reaches_their_supervisor(
    client_for, professional, supervisor, supervisor_unassigned, recording, category
):
    payload = {"start_ms": 100, "category": category.pk, "text": "Was dit ontvangen?", "kind": "question"}

    response = client_for(professional).post(_list_url(recording), payload, content_type="application/json")

    assert response.status_code == 201
    assert list(Notification.objects.values_list("user", flat=True)) == [supervisor.pk]


def test_published_feedback_cannot_go_back_to_draft(client_for, supervisor, recording, make_annotation):
    feedback = make_annotation(recording, supervisor, kind="feedback")

    response = client_for(supervisor).patch(
        _detail_url(feedback), {"visibility": "draft"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["visibility"] == ["Een gepubliceerde aantekening kan niet terug naar concept."]
