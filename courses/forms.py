from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Enrolment
from organisations.models import Organisation, User


class DateInput(forms.DateInput):
    input_type = "date"


class AttendanceForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignmentSubmitForm(forms.Form):
    text = forms.CharField(
        label=_("Your assignment"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Do not write names or other details by which a family can be recognised."),
        error_messages={"required": _("Write your assignment before submitting it.")},
    )


class AssignmentReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for rework"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you approve the assignment.")},
    )
    comment = forms.CharField(
        label=_("Comment for the professional"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MilestoneForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    second_assessor = forms.ModelChoiceField(
        label=_("Second trainer"),
        queryset=User.objects.filter(is_supervisor=True, is_active=True).order_by("full_name"),
        required=False,
    )
    text = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["second_assessor"]
        field.queryset = field.queryset.exclude(pk=actor.pk)  # type: ignore[attr-defined]


class FinalAssessmentForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Judgement"),
        choices=[("yes", _("Passed")), ("no", _("Not passed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose passed or not passed.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give a short motivation for your judgement.")},
    )


STATUS_NOT_ENROLLED = "not_enrolled"


class OverviewFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False, empty_label=_("All")
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *Enrolment.Status.choices, (STATUS_NOT_ENROLLED, _("Not enrolled"))],
        required=False,
    )
    stale_weeks = forms.IntegerField(
        label=_("No progress for (weeks)"),
        min_value=1,
        max_value=520,
        required=False,
        widget=forms.NumberInput(attrs={"class": "weeks"}),
    )

    def __init__(self, *args: object, show_organisation: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not show_organisation:
            del self.fields["organisation"]
