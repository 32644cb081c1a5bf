"""Who may read the access log: national administrators who logged in with their second factor."""

from __future__ import annotations

from django.http import Http404, HttpRequest


def require_log_reader(request: HttpRequest) -> None:
    """Raise Http404 unless the request comes from an administrator verified with two factors.

    The log itself is health data (it names families' codes next to people): nobody else learns
    that the page exists.
    """
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    if not (user.is_authenticated and user.is_active and user.is_administrator and verified):
        raise Http404
