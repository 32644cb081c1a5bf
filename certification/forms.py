from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate, CourseCode, RecertificationEvidence
from organisations.models import Organisation
from vibplatform.widgets import DateInput


class EvidenceForm(forms.ModelForm[RecertificationEvidence]):
    class Meta:
        model = RecertificationEvidence
        fields = ["kind", "date", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Recorded in the certificate's history and visible to the professional."),
    )


# Overview status filter: the certificate statuses plus two derived views.
STATUS_EXPIRING = "expiring"
STATUS_STALLED = "stalled"
STATUS_NONE = "none"


def _status_choices() -> list[tuple[str, object]]:
    return [
        ("", _("All")),
        *Certificate.Status.choices,
        (STATUS_EXPIRING, _("Expires within 90 days")),
        (STATUS_STALLED, _("Stalled in training")),
        (STATUS_NONE, _("Not started")),
    ]


class OverviewFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("All")
    )
    course = forms.ChoiceField(
        label=_("Course"), choices=[("", _("All")), *CourseCode.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=_status_choices, required=False)
    stalled_weeks = forms.IntegerField(
        label=_("Stalled after (weeks without evidence)"),
        min_value=1,
        max_value=104,
        initial=6,
        required=False,
    )

    def __init__(self, *args: Any, administrator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if administrator:
            self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
