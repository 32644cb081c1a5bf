"""The API's errors, as the schema documents them and as the server sends them.

A client generated from the schema treats an undeclared status code as "unexpected" and fails, so each
operation declares 400, 401, 403, 404 and 429 with the body DRF really sends for them.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status

# DRF's error body: {"detail": "..."} for everything but validation errors.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A validation error: field name (or non_field_errors) -> messages; a malformed body gets {"detail": ...}.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}, {"type": "object"}]
    },
}
ERROR_RESPONSES = {
    "400": ("ValidationError", "Invalid input: messages per field."),
    "401": ("Error", "No valid token or session."),
    "403": ("Error", "Signed in, but without the right for this operation."),
    "404": ("Error", "Not found, or not visible to you (outsiders never learn whether it exists)."),
    "429": ("Error", "Too many requests; try again later."),
}
_METHODS = {"get", "put", "post", "patch", "delete"}


def document_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the error answers every operation can give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["ValidationError"] = VALIDATION_ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in _METHODS:
                _add_error_responses(operation["responses"])
    return result


def _add_error_responses(responses: dict[str, Any]) -> None:
    for code, (component, description) in ERROR_RESPONSES.items():
        documented = responses.setdefault(code, {"description": description})
        # An @extend_schema(responses={400: OpenApiResponse(description=...)}) keeps its words, gains a body.
        documented["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
        }


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, except under /api/: there the documented JSON error, also for an address that
    matches no route (an id of the wrong shape), which DRF never sees."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
