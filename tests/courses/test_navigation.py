from django.urls import reverse

from courses.navigation import items


def _urls(user) -> list[str]:
    return [item.url for item in items(user)]


def test_each_role_gets_its_own_training_page(
    professional, supervisor, coordinator, administrator, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert _urls(professional) == [reverse("courses:my_training")]
        assert _urls(supervisor) == [reverse("courses:trainees"), reverse("courses:training_days")]
        assert _urls(coordinator) == [reverse("courses:overview"), reverse("courses:cohort_list")]
        assert _urls(administrator) == [reverse("courses:overview")]


def test_the_menu_labels_are_dutch(client_for, professional):
    body = client_for(professional).get(reverse("home")).content.decode()
    assert "Mijn opleiding" in body
