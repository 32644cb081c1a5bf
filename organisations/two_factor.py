"""TOTP enrolment and verification (django-otp), shared by the views and the demo command."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.models import AnonymousUser
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import User


def second_factor_pending(user: User | AnonymousUser) -> bool:
    """True while a logged-in user who needs TOTP (by role, or because they turned it on) has not passed it."""
    # is_verified() is added to the user by django-otp's OTPMiddleware.
    if isinstance(user, AnonymousUser) or user.is_verified():  # type: ignore[attr-defined]
        return False
    if user.requires_two_factor:
        return True
    # Remembered on the user object: the middleware and the menu both ask within one request.
    if not hasattr(user, "_has_otp_device"):
        user._has_otp_device = user_has_device(user)  # type: ignore[attr-defined]
    return bool(user._has_otp_device)  # type: ignore[attr-defined]


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_start(*, user: User) -> TOTPDevice:
    """Return the user's pending (unconfirmed) device, creating one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def totp_qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_current_code(device: TOTPDevice) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
