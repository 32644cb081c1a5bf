from vibplatform.navigation import NavItem


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    return []
