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
