from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login

from organisations.forms import ApiTokenForm, TokenForm, VideoGrantForm
from organisations.http import AuthenticatedRequest
from organisations.models import User, VideoGrant
from organisations.tokens import api_token_create, api_token_revoke
from organisations.two_factor import totp_device_for, totp_device_start, totp_qr_data_uri, totp_secret_base32
from organisations.video_grants import video_grant_decide, video_grant_request


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a logged-in person also remembered for e-mail and notifications."""
    response = set_language(request)
    chosen, user = request.POST.get("language", ""), request.user
    if isinstance(user, User) and chosen in dict(settings.LANGUAGES) and user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return response


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` address if it stays on this site, else the home page."""
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else settings.LOGIN_REDIRECT_URL


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
            return redirect(_safe_next(request))
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


# --- Personal API tokens ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own API tokens; a new key is shown once, right after it is made."""
    form = ApiTokenForm(request.POST or None)
    key = ""
    if form.is_valid():
        verified = bool(request.user.is_verified())  # type: ignore[attr-defined]
        try:
            _token, key = api_token_create(user=request.user, second_factor=verified, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "organisations/api_tokens.html", {"form": form, "tokens": tokens, "key": key})


@login_required
@require_POST
def api_token_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    messages.success(request, _("The token no longer works."))
    return redirect("organisations:api_tokens")


# --- Video grants for administrators ---------------------------------------------------------------------


def _require_administrator(request: AuthenticatedRequest) -> None:
    if not request.user.is_administrator:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def video_grants(request: AuthenticatedRequest) -> HttpResponse:
    """Request a video grant; decide on other administrators' requests (four eyes)."""
    _require_administrator(request)
    form = VideoGrantForm(request.POST or None)
    if form.is_valid():
        try:
            video_grant_request(administrator=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request waits for another administrator's approval."))
            return redirect("organisations:video_grants")
    grants = VideoGrant.objects.select_related("administrator", "decided_by")[:100]
    return render(request, "organisations/video_grants.html", {"form": form, "grants": grants})


@login_required
@require_POST
def video_grant_decision(request: AuthenticatedRequest, pk: int, decision: str) -> HttpResponse:
    _require_administrator(request)
    grant = VideoGrant.objects.filter(pk=pk).first()
    if grant is None:
        raise Http404
    try:
        video_grant_decide(
            grant=grant, decided_by=request.user, approve=decision == "approve", request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:video_grants")
