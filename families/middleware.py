from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from families.consent import ConsentRefused


class ConsentRefusedMiddleware:
    """Answer a ConsentRefused with its Dutch explanation (403), on pages and on the tus endpoints.

    DRF views answer it themselves (its handler keeps the message of a PermissionDenied).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConsentRefused):
            return None
        message = str(exception)
        if request.path.startswith(("/api/", "/uploads/")):
            return JsonResponse({"detail": message}, status=403)
        return TemplateResponse(request, "families/consent_refused.html", {"message": message}, status=403)
