from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.models import User
from vibplatform.navigation import NavItem


def items(user: User) -> list[NavItem]:
    if not user.is_coordinator:
        return []
    return [
        NavItem(
            _("SamenStarten in the organisation"),
            reverse("organisations:coordination"),
            _("NCJ licence, NCJ contact and the implementation checklist"),
        ),
        NavItem(_("Staff"), reverse("organisations:staff_list"), _("Add staff, set their roles, deactivate")),
    ]
