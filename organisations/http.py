from django.http import HttpRequest
from rest_framework.request import Request

from organisations.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind login_required (or a gate that sends anonymous visitors to log in):
    ``request.user`` is a real user, not AnonymousUser. For type checking only."""

    user: User


class AuthenticatedAPIRequest(Request):
    """A DRF request behind IsAuthenticated (the API's default permission): ``request.user`` is a real
    user. For type checking only."""

    user: User
