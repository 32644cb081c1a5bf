"""Menu entries per role, without queries."""

from django.urls import reverse

from vibplatform.navigation import NavItem, menu_for


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    """This app's pages in the one menu."""
    return [item for item in menu_for(user) if item.url.startswith(("/recordings/", "/audit/"))]


def labels(user) -> list[str]:
    return [str(item.label) for item in items(user)]


def test_entries_per_role(professional, supervisor, coordinator, administrator, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert labels(professional) == ["Mijn opnames"]
        assert labels(supervisor) == ["Opnames van trainees"]
        assert labels(coordinator) == []
        assert labels(administrator) == ["Toegangslog"]
    assert items(administrator)[0].url == reverse("audit:log")


def test_home_page_shows_the_tile(client_for, professional):
    assert "Mijn opnames" in client_for(professional).get(reverse("home")).content.decode()
