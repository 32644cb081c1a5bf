from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from organisations.models import ImplementationCheck, Organisation, User
from vibplatform.widgets import DateInput


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “upload script”.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=30, help_text=_("At most 90 days.")
    )


class VideoGrantForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    days = forms.IntegerField(
        label=_("Days"), min_value=1, max_value=7, initial=1, help_text=_("At most 7 days.")
    )


# --- The coordinator's self-service ---------------------------------------------------------------------

_JOB_TITLES = [("", "—"), *[(value, label) for value, label in User.JobTitle.choices]]


class StaffRolesForm(forms.Form):
    job_title = forms.ChoiceField(label=_("Job title"), choices=_JOB_TITLES, required=False)
    is_professional = forms.BooleanField(
        label=_("Professional"), required=False, help_text=_("Follows the training and works with families.")
    )
    is_coordinator = forms.BooleanField(
        label=_("SamenStarten coordinator"),
        required=False,
        help_text=_("Manages staff, enrolments and the implementation in this organisation."),
    )


class StaffCreateForm(StaffRolesForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Fill in the full name.")}
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Fill in the e-mail address."),
            "invalid": _("Enter a valid e-mail address."),
        },
    )
    field_order = ["full_name", "email", "job_title", "is_professional", "is_coordinator"]


class NcjContactForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=_("NCJ contact"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose a coordinator."), "invalid_choice": _("Choose a coordinator.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        field.queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_coordinator=True, is_active=True
        ).order_by("full_name")


class ImplementationCheckForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationCheck.Status.choices)
    checked_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter a valid date.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
