from django.urls import reverse
from django.utils.translation import gettext as _

from vibplatform.navigation import NavItem


def items(user) -> list[NavItem]:  # type: ignore[no-untyped-def]
    return [
        NavItem(
            _("Notifications"), reverse("notifications:list"), _("Messages about your training and films")
        )
    ]
