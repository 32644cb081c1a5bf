"""Personal API tokens: made by their owner, shown once, stored as a hash, short-lived.

Nobody makes or sees a token for someone else (not even an administrator in the admin): a token is the
person's own key, so acting as another user is impossible.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from organisations.models import ApiToken, User


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the password changes (the hash holds a fresh salt), so old tokens stop working."""
    return salted_hmac("organisations.ApiToken.password", user.password).hexdigest()


def api_token_create(*, user: User, name: str, days: int, second_factor: bool) -> tuple[ApiToken, str]:
    """Make a token for ``user`` themself; returns the row and the key (shown once, never stored)."""
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the token a name, so you know later what it is for.")
    if not 1 <= days <= ApiToken.MAX_DAYS:
        errors["days"] = _("A token lasts at least 1 and at most %(max)d days.") % {"max": ApiToken.MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    key, now = secrets.token_urlsafe(32), timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_hash=_key_hash(key),
        prefix=key[:8],
        password_fingerprint=password_fingerprint(user),
        made_with_second_factor=second_factor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def api_token_is_usable(token: ApiToken, now: datetime.datetime | None = None) -> bool:
    user = token.user
    return (
        user.is_active
        and token.expires_at > (now or timezone.now())
        and token.password_fingerprint == password_fingerprint(user)
        and (token.made_with_second_factor or not user.requires_two_factor)
    )


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the hashed personal tokens."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = ApiToken.objects.select_related("user").filter(key_hash=_key_hash(key)).first()
        if token is None or not api_token_is_usable(token):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        return token.user, token
