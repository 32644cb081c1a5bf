"""Paging for every API list: ``?limit=&offset=`` checked and declared, so a bad value is a 400.

DRF's LimitOffsetPagination silently ignores a malformed value (``offset=null`` pages from the start) and
hands any size to the database, where a value above PostgreSQL's bigint is a 500.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.serializers import ValidationError
from rest_framework.views import APIView

# Large enough for every annotation of one film on a page (the workspace asks for thousands at once).
MAX_LIMIT = 10_000
# OFFSET + LIMIT must still fit the database's 64-bit integer.
MAX_OFFSET = 2**63 - 1 - MAX_LIMIT


def _whole_number(request: Request, name: str, minimum: int, maximum: int, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # isdecimal() alone accepts other scripts' digits; only ASCII digits are a number here.
    if not (raw.isascii() and raw.isdecimal() and minimum <= int(raw) <= maximum):
        message = _("Enter a whole number from %(minimum)s to %(maximum)s.")
        raise ValidationError({name: [message % {"minimum": minimum, "maximum": maximum}]})
    return int(raw)


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int:
        return _whole_number(request, self.limit_query_param, 1, MAX_LIMIT, self.default_limit or MAX_LIMIT)

    def get_offset(self, request: Request) -> int:
        return _whole_number(request, self.offset_query_param, 0, MAX_OFFSET, 0)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] |= _BOUNDS[parameter["name"]]
        return parameters


_BOUNDS = {"limit": {"minimum": 1, "maximum": MAX_LIMIT}, "offset": {"minimum": 0, "maximum": MAX_OFFSET}}

# For an APIView that pages by hand (drf-spectacular only sees the paginator of a generic view).
PAGING_PARAMETERS = [
    OpenApiParameter(
        "limit", {"type": "integer", **_BOUNDS["limit"]}, description="Number of results to return per page."
    ),
    OpenApiParameter(
        "offset", {"type": "integer", **_BOUNDS["offset"]}, description="The initial index of the results."
    ),
]
