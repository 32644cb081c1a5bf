"""Menu entries per role, and the demo data."""

from certification.models import Certificate
from organisations.demo import seed_people
from vibplatform.navigation import NavItem, menu_for


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    """This app's pages in the one menu."""
    return [item for item in menu_for(user) if item.url.startswith(("/certification/",))]


def labels(user) -> list[str]:  # type: ignore[no-untyped-def]
    # The interface language is Dutch by default.
    return [str(item.label) for item in items(user)]


def test_the_menu_per_role_without_queries(
    professional, coordinator, administrator, supervisor, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert labels(professional) == ["Mijn certificaten"]
        assert labels(coordinator) == ["Certificering"]
        assert labels(administrator) == ["Certificering"]
        assert labels(supervisor) == []


def test_the_home_page_shows_the_dutch_tiles(professional, coordinator, client_for):
    assert "Mijn certificaten" in client_for(professional).get("/").content.decode()
    assert "Certificering" in client_for(coordinator).get("/").content.decode()


def test_the_demo_certifies_the_colleague_for_dmop_and_is_idempotent(db):
    from certification import demo
    from courses import demo as courses_demo

    people = seed_people()
    courses_demo.seed(people)  # the colleague's DMOP certificate follows from the passed final assessment
    demo.seed(people)
    courses_demo.seed(people)
    demo.seed(people)
    colleague = Certificate.objects.get(professional=people.colleague, course_code="dmop")
    assert colleague.status == Certificate.Status.CERTIFIED and colleague.events.count() == 2
    trainee = Certificate.objects.filter(professional=people.trainee).values_list("course_code", "status")
    assert sorted(trainee) == [("dmop", "in_training"), ("vib", "in_training")]
