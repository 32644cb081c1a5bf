from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login

from organisations.forms import TokenForm
from organisations.http import AuthenticatedRequest
from organisations.models import User
from organisations.two_factor import totp_device_for, totp_device_start, totp_qr_data_uri, totp_secret_base32


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a logged-in person also remembered for e-mail and notifications."""
    response = set_language(request)
    chosen, user = request.POST.get("language", ""), request.user
    if isinstance(user, User) and chosen in dict(settings.LANGUAGES) and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    device = totp_device_for(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            return redirect(request.GET.get("next") or "home")
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
    return render(request, "organisations/two_factor_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    if totp_device_for(request.user) is not None:
        return redirect("two_factor_verify")
    device = totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
        form.add_error("token", _("That code is not valid. Scan the QR code again and enter the new code."))
    context = {"form": form, "qr": totp_qr_data_uri(device), "secret": totp_secret_base32(device)}
    return render(request, "organisations/two_factor_setup.html", context)
