from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import User
from vibplatform.navigation import NavItem


def items(user: User) -> list[NavItem]:
    if not user.is_supervisor:
        return []
    return [
        NavItem(
            _("Feedback queue"),
            reverse("annotations:queue"),
            _("Recordings of your trainees awaiting your feedback, oldest first."),
        )
    ]
