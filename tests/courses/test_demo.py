from courses.demo import seed
from courses.models import Enrolment, Evidence
from organisations.demo import seed_people
from organisations.rules import Relation, relation_to


def test_demo_enrols_trainee_and_colleague_in_both_courses_and_can_run_twice(curricula):
    people = seed_people()
    seed(people)
    seed(people)
    assert Enrolment.objects.filter(professional=people.trainee).count() == 2
    assert Enrolment.objects.filter(professional=people.colleague).count() == 2
    assert Enrolment.objects.filter(professional=people.trainee, supervisor=people.supervisor).count() == 2
    assert Evidence.objects.filter(enrolment__professional=people.trainee).count() == 8
    assert relation_to(people.supervisor, people.trainee) is Relation.SUPERVISOR


def test_demo_forms_a_cohort_with_a_training_day_awaiting_the_trainers_registration(curricula):
    from courses.models import TrainingDay

    people = seed_people()
    seed(people)
    seed(people)
    day = TrainingDay.objects.get()
    assert day.trainer == people.supervisor and not day.attendance_registered
    assert set(day.cohort.enrolments.values_list("professional", flat=True)) == {
        people.trainee.pk,
        people.colleague.pk,
    }
    people.organisation.refresh_from_db()
    assert people.organisation.ncj_contact == people.coordinator
    assert people.organisation.implementation_checks.count() == 2
