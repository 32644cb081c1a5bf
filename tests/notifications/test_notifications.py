from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_send


def test_send_creates_in_app_notification_and_mails_after_commit(
    professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=professional, subject="Feedback klaar", body="Je supervisor gaf feedback.", url="/x/"
        )
    assert Notification.objects.filter(user=professional, subject="Feedback klaar").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [professional.email]
    assert mail.outbox[0].body.endswith("/x/")


def test_no_mail_when_the_transaction_rolls_back(professional, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(user=professional, subject="s", body="b")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_list_shows_only_own_notifications_in_constant_queries(
    client_for, professional, colleague, django_assert_num_queries
):
    Notification.objects.create(user=colleague, subject="Niet voor jou", body="b")
    client = client_for(professional)
    counts = []
    for total in (2, 40):
        Notification.objects.bulk_create(
            Notification(user=professional, subject=f"Bericht {i}", body="b") for i in range(total)
        )
        with django_assert_num_queries(7) as captured:
            response = client.get(reverse("notifications:list"))
        counts.append(len(captured))
        assert response.status_code == 200
        assert "Bericht 1" in response.content.decode()
        assert "Niet voor jou" not in response.content.decode()
    assert counts[0] == counts[1]


def test_mark_all_read_only_touches_own(client_for, professional, colleague):
    own = Notification.objects.create(user=professional, subject="s", body="b")
    other = Notification.objects.create(user=colleague, subject="s", body="b")
    response = client_for(professional).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.read_at is not None
    assert other.read_at is None


def test_mark_all_read_refuses_get_and_anonymous(client_for, professional):
    assert client_for(professional).get(reverse("notifications:mark_all_read")).status_code == 405
    response = client_for(None).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
