from collections.abc import Callable

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# The object store could not be reached: a passing outage, not a bug. Nothing was written to the
# database in the failed request (views write rows only after storage calls succeed, inside a transaction).
STORAGE_UNAVAILABLE = (EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError)


class StorageUnavailableMiddleware:
    """Answer 503 with a Dutch explanation when the S3 store is unreachable, instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, STORAGE_UNAVAILABLE):
            return None
        message = _(
            "The video storage cannot be reached right now. Nothing was lost; please try again in a few minutes."
        )
        if request.path.startswith(("/api/", "/uploads/")):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = TemplateResponse(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "60"
        return response


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer the application itself gives.

    Pages, exports and API answers hold health data or short-lived signed links; no browser cache or
    proxy may keep them. Static files are served earlier (WhiteNoise) and keep their long cache headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
