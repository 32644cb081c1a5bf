import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recordings.models import Recording
from tests.annotations.conftest import FAMILY_CODE, create_recording

URL = reverse("annotations:queue")


def test_the_queue_lists_recordings_of_assigned_trainees_awaiting_feedback_oldest_first(
    client_for, professional, professional_other_org, supervisor, make_annotation
):
    now = timezone.now()
    newer = create_recording(professional, created_at=now - datetime.timedelta(days=1))
    older = create_recording(professional, created_at=now - datetime.timedelta(days=5))
    reviewed = create_recording(professional)
    reviewed.cycle.reviewed_at = now
    reviewed.cycle.save()
    create_recording(professional, status=Recording.Status.PROCESSING)
    create_recording(professional, purpose=Recording.Purpose.PRACTICE)
    create_recording(professional_other_org)
    loose_done = create_recording(professional, cycle=None)
    make_annotation(loose_done, supervisor, kind="feedback")
    make_annotation(newer, supervisor, kind="feedback", visibility="draft")

    response = client_for(supervisor).get(URL)

    assert response.status_code == 200
    listed = response.context["recordings"]
    assert [recording.pk for recording in listed] == [older.pk, newer.pk]
    assert listed[1].draft_count == 1
    assert "Feedbackwachtrij" in response.content.decode()


def test_two_films_of_the_same_day_are_told_apart_by_time_and_family(client_for, professional, supervisor):
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 15))
    for moment in (morning, morning + datetime.timedelta(hours=5, minutes=30)):
        Recording.objects.filter(pk=create_recording(professional).pk).update(created_at=moment)

    page = client_for(supervisor).get(URL).content.decode()

    assert "2 maart 2026 09:15" in page
    assert "2 maart 2026 14:45" in page
    assert page.count(FAMILY_CODE) == 2
    assert "Wacht al" in page


def test_replies_of_the_trainee_are_counted_until_the_thread_is_resolved(
    client_for, professional, supervisor, recording, make_annotation
):
    feedback = make_annotation(recording, supervisor, kind="feedback")
    make_annotation(recording, professional, parent=feedback, kind="reply", category=None)

    listed = client_for(supervisor).get(URL).context["recordings"]

    assert listed[0].open_reply_count == 1
    feedback.resolved = True
    feedback.save()
    assert client_for(supervisor).get(URL).context["recordings"][0].open_reply_count == 0


def test_the_queue_takes_a_constant_number_of_queries(
    client_for, professional, supervisor, django_assert_num_queries
):
    client = client_for(supervisor)
    create_recording(professional)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(15):
        create_recording(professional)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["recordings"]) == 16


def test_people_who_are_not_supervisors_get_403(client_for, professional, coordinator):
    assert client_for(professional).get(URL).status_code == 403
    assert client_for(coordinator).get(URL).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client_for):
    assert client_for(None).get(URL).status_code == 302


def test_posting_to_the_queue_is_not_allowed(client_for, supervisor):
    assert client_for(supervisor).post(URL).status_code == 405


def test_supervisors_find_the_queue_in_the_menu(client_for, supervisor, professional):
    assert URL in client_for(supervisor).get("/").content.decode()
    assert URL not in client_for(professional).get("/").content.decode()
