from vibplatform.navigation import NavItem, menu_for


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    """This app's pages in the one menu."""
    return [item for item in menu_for(user) if item.url.startswith(("/dmop/",))]


def labels(user) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(item.label) for item in items(user)]


def test_professionals_get_the_instrument_and_the_sociale_kaart(professional, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert labels(professional) == ["DMOP-instrument", "Sociale kaart"]


def test_coordinators_get_the_sociale_kaart_and_the_monitoring(coordinator):
    assert labels(coordinator) == ["Sociale kaart", "SamenStarten-monitoring"]


def test_administrators_get_the_monitoring_and_supervisors_nothing(supervisor, administrator):
    assert labels(supervisor) == []
    assert labels(administrator) == ["SamenStarten-monitoring"]
