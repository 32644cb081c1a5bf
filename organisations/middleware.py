from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.two_factor import second_factor_pending

# Paths an authenticated but not yet verified user may still reach.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/verify/")


class TwoFactorRequiredMiddleware:
    """Send users who need a second factor to the TOTP step before anything else.

    TOTP is mandatory for supervisors, coordinators and administrators, and for any professional who
    turned it on. Token-authenticated API calls are authenticated later (by DRF) and are not affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request.user):
            open_paths = {reverse("two_factor_verify"), reverse("two_factor_setup"), reverse("logout")}
            if request.path not in open_paths and not request.path.startswith(_OPEN_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Two-factor verification required.")}, status=403)
                return redirect("two_factor_verify")
        return self.get_response(request)
