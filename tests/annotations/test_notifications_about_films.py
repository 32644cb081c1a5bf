"""Notifications about a film: grouped per film until read, naming the film, in the reader's language."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from notifications.models import Notification
from tests.annotations.conftest import FAMILY_CODE, create_recording


def _publish(client, annotation):  # type: ignore[no-untyped-def]
    response = client.post(reverse("api-annotation", args=[annotation.pk]) + "publish/")
    assert response.status_code == 200


def _film(recording) -> str:  # type: ignore[no-untyped-def]
    with override("nl"):
        return date_format(timezone.localtime(recording.created_at), "DATETIME_FORMAT")


def test_remarks_published_one_by_one_on_one_film_make_one_notification(
    client_for, professional, supervisor, recording, make_annotation, django_capture_on_commit_callbacks
):
    first = make_annotation(recording, supervisor, start_ms=100, kind="feedback", visibility="draft")
    second = make_annotation(recording, supervisor, start_ms=900, kind="feedback", visibility="draft")
    supervisor_client = client_for(supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        _publish(supervisor_client, first)
        _publish(supervisor_client, second)

    notification = Notification.objects.get(user=professional)
    assert notification.url.endswith(f"#annotation-{second.pk}")  # the newest moment
    assert len(mail.outbox) == 1  # no second e-mail while the first is unread
    page = client_for(professional).get(reverse("notifications:list")).content.decode()
    assert f"2 opmerkingen geplaatst bij je film van {_film(recording)}" in page
    assert f"Gezin {FAMILY_CODE}" in page
    assert "(en)" not in page
    assert FAMILY_CODE not in mail.outbox[0].body


def test_after_reading_a_new_publish_starts_a_new_notification_in_the_singular(
    client_for, professional, supervisor, recording, make_annotation
):
    supervisor_client = client_for(supervisor)
    _publish(supervisor_client, make_annotation(recording, supervisor, kind="feedback", visibility="draft"))
    client_for(professional).post(reverse("notifications:mark_all_read"))

    _publish(supervisor_client, make_annotation(recording, supervisor, kind="feedback", visibility="draft"))

    assert Notification.objects.filter(user=professional).count() == 2
    newest = Notification.objects.filter(user=professional).first()
    assert newest is not None
    assert "1 opmerking geplaatst" in newest.body_text


def test_two_films_get_two_notifications(client_for, professional, supervisor, recording, make_annotation):
    other = create_recording(professional)
    supervisor_client = client_for(supervisor)
    _publish(supervisor_client, make_annotation(recording, supervisor, kind="feedback", visibility="draft"))
    _publish(supervisor_client, make_annotation(other, supervisor, kind="feedback", visibility="draft"))

    assert Notification.objects.filter(user=professional).count() == 2


def test_an_english_reader_sees_notifications_and_gets_e_mail_in_english(
    client_for, professional, supervisor, recording, make_annotation, django_capture_on_commit_callbacks
):
    reader = client_for(professional)
    response = reader.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.language == "en"

    with django_capture_on_commit_callbacks(execute=True):
        _publish(
            client_for(supervisor),
            make_annotation(recording, supervisor, kind="feedback", visibility="draft"),
        )

    assert mail.outbox[0].subject.startswith("New feedback on your film of")
    page = reader.get(reverse("notifications:list")).content.decode()
    assert "Your supervisor published 1 remark on your film of" in page
    assert "Je supervisor" not in page


def test_a_reply_names_the_film_and_the_moment(
    client_for, professional, supervisor, recording, make_annotation
):
    question = make_annotation(recording, professional, start_ms=61_500, kind="question")

    response = client_for(supervisor).post(
        reverse("api-annotation-replies", args=[question.pk]), {"text": "Kijk naar de blik"}
    )

    assert response.status_code in (200, 201)
    notification = Notification.objects.get(user=professional)
    assert notification.body_text == (
        f"Sanne reageerde op je aantekening bij 1:01.500 in de film van {_film(recording)}."
    )
    assert notification.url.endswith(f"#annotation-{question.pk}")
