"""Supervision sessions replace the attendance tick; the supervision requirements follow from them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services, supervision
from courses.models import Enrolment, SupervisionParticipant, SupervisionSession
from courses.progress import progress_for
from organisations.models import User
from recordings.models import VibCycle
from tests.conftest import make_person
from tests.courses.conftest import requirement_of

TODAY = timezone.localdate()


@pytest.fixture
def vib(professional, supervisor, curricula) -> Enrolment:
    return services.enrolment_create(
        professional=professional, version=curricula["vib"], supervisor=supervisor
    )


def _sessions(enrolment: Enrolment, supervisor: User, days_ago: list[int]) -> None:
    for days in days_ago:
        supervision.supervision_session_record(
            actor=supervisor,
            held_on=TODAY - datetime.timedelta(days=days),
            duration_minutes=60,
            enrolments=[enrolment],
        )


def _done(enrolment: Enrolment, kind: str, nth: int = 0) -> int:
    progress = progress_for([enrolment])[0]
    return progress.item_for(requirement_of(enrolment, kind, nth).pk).done


def _milestone_locked(enrolment: Enrolment) -> bool:
    progress = progress_for([enrolment])[0]
    return progress.item_for(requirement_of(enrolment, "milestone").pk).locked


def test_a_supervisor_records_a_session_discussing_two_cycles(client_for, supervisor, professional, vib):
    first, second = (VibCycle.objects.create(professional=professional, enrolment=vib) for _ in range(2))

    response = client_for(supervisor).post(
        reverse("courses:supervision_session_new", args=[vib.pk]),
        {
            "held_on": TODAY.isoformat(),
            "duration_minutes": "75",
            "cycles": [first.pk, second.pk],
            "report": "Goed gekeken naar initiatieven.",
            "work_points": "Meer benoemen.",
        },
    )

    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert set(session.cycles.all()) == {first, second}
    assert list(session.supervisors.all()) == [supervisor]
    assert _done(vib, "supervision_meetings") == 1


def test_the_interim_evaluation_opens_after_the_eighth_session(supervisor, vib):
    _sessions(vib, supervisor, list(range(70, 0, -10)))  # seven sessions
    assert _milestone_locked(vib)

    _sessions(vib, supervisor, [0])

    assert not _milestone_locked(vib)


def test_a_planned_session_does_not_count_yet(supervisor, vib):
    supervision.supervision_session_record(
        actor=supervisor, held_on=TODAY + datetime.timedelta(days=7), duration_minutes=60, enrolments=[vib]
    )
    assert _done(vib, "supervision_meetings") == 0


def test_second_year_sessions_count_only_after_the_first_trajectory_and_within_a_year(supervisor, vib):
    _sessions(vib, supervisor, [0])  # on the first day: the first trajectory is far from complete
    assert _done(vib, "supervision_meetings", 1) == 0

    _sessions(vib, supervisor, [600 - 10 * n for n in range(15)] + [500])  # 16 more, the last long ago
    # The first trajectory completed 500 days ago (its 16th session); of the later ones, only those
    # within the following year count for the second year: none of today's.
    assert _done(vib, "supervision_meetings") >= 16
    assert _done(vib, "supervision_meetings", 1) == 0


def test_the_second_year_counts_a_session_within_the_year_after(supervisor, vib):
    _sessions(vib, supervisor, [400 - 10 * n for n in range(16)])  # completed 250 days ago
    _sessions(vib, supervisor, [100])

    assert _done(vib, "supervision_meetings", 1) == 1


def test_a_group_session_counts_for_every_trainee(supervisor, vib, colleague, curricula):
    other = services.enrolment_create(professional=colleague, version=curricula["vib"], supervisor=supervisor)

    supervision.supervision_session_record(
        actor=supervisor, held_on=TODAY, duration_minutes=90, enrolments=[vib, other]
    )

    assert _done(vib, "supervision_meetings") == 1 and _done(other, "supervision_meetings") == 1


def test_a_dmop_trainer_cannot_record_a_vib_session(client_for, professional, vib):
    trainer = make_person("dirk@dmop.example", is_supervisor=True, supervisor_kind=User.SupervisorKind.DMOP)
    from organisations.models import SupervisorAssignment

    SupervisorAssignment.objects.create(supervisor=trainer, trainee=professional)

    url = reverse("courses:supervision_session_new", args=[vib.pk])
    assert (
        client_for(trainer).post(url, {"held_on": TODAY.isoformat(), "duration_minutes": "60"}).status_code
        == 403
    )
    assert not SupervisionSession.objects.exists()


def test_a_cycle_of_someone_else_is_refused(supervisor, vib, colleague):
    foreign = VibCycle.objects.create(professional=colleague)
    with pytest.raises(Exception, match="cycles"):
        supervision.supervision_session_record(
            actor=supervisor, held_on=TODAY, duration_minutes=60, enrolments=[vib], cycles=[foreign]
        )


def test_invalid_input_is_explained_and_nothing_is_stored(client_for, supervisor, vib):
    response = client_for(supervisor).post(
        reverse("courses:supervision_session_new", args=[vib.pk]),
        {"held_on": "2099-01-01", "duration_minutes": "600"},
    )

    assert response.status_code == 400
    assert not SupervisionSession.objects.exists()


def test_the_trainee_writes_a_learning_question_beforehand_and_a_reflection_afterwards(
    client_for, professional, supervisor, vib
):
    planned = supervision.supervision_session_record(
        actor=supervisor, held_on=TODAY + datetime.timedelta(days=3), duration_minutes=60, enrolments=[vib]
    )
    participant = SupervisionParticipant.objects.get(session=planned)
    client = client_for(professional)
    url = reverse("courses:supervision_participation", args=[participant.pk])

    client.post(url, {"field": "learning_question", "text": "Hoe volg ik het initiatief van het kind?"})
    client.post(url, {"field": "reflection", "text": "Te vroeg"})

    participant.refresh_from_db()
    assert participant.learning_question == "Hoe volg ik het initiatief van het kind?"
    assert participant.reflection == ""
    page = client.get(reverse("courses:supervision_session", args=[planned.pk]))
    assert page.status_code == 200
    assert "Hoe volg ik het initiatief" in page.content.decode()


def test_the_coordinator_sees_only_that_sessions_took_place(client_for, coordinator, supervisor, vib):
    session = supervision.supervision_session_record(
        actor=supervisor, held_on=TODAY, duration_minutes=45, enrolments=[vib], report="Vertrouwelijk verslag"
    )

    enrolment_page = client_for(coordinator).get(reverse("courses:enrolment_detail", args=[vib.pk]))
    detail = client_for(coordinator).get(reverse("courses:supervision_session", args=[session.pk]))

    assert "45" in enrolment_page.content.decode()
    assert "Vertrouwelijk verslag" not in enrolment_page.content.decode()
    assert detail.status_code == 403


def test_outsiders_and_other_trainees_cannot_open_or_write(
    client_for, supervisor, vib, colleague, supervisor_unassigned, coordinator_other_org
):
    session = supervision.supervision_session_record(
        actor=supervisor, held_on=TODAY, duration_minutes=45, enrolments=[vib]
    )
    participant = SupervisionParticipant.objects.get(session=session)
    detail = reverse("courses:supervision_session", args=[session.pk])
    write = reverse("courses:supervision_participation", args=[participant.pk])
    report = reverse("courses:supervision_report", args=[session.pk])

    for outsider in (colleague, supervisor_unassigned, coordinator_other_org):
        assert client_for(outsider).get(detail).status_code == 404
        assert client_for(outsider).post(write, {"field": "reflection", "text": "x"}).status_code == 404
        assert client_for(outsider).post(report, {"report": "x"}).status_code == 404
    assert client_for(vib.professional).post(report, {"report": "x"}).status_code == 403
    assert client_for(supervisor).post(write, {"field": "reflection", "text": "x"}).status_code == 403
    assert client_for(None).get(detail).status_code == 302
    assert client_for(supervisor).get(report).status_code == 405
