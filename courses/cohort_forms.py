from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort, CourseVersion, Enrolment, Requirement
from organisations.models import User
from vibplatform.widgets import DateInput

_INVALID_DATE = {"invalid": _("Enter a valid date."), "required": _("Fill in the date.")}


class CohortForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Course version"),
        queryset=CourseVersion.objects.select_related("course").order_by("course__code", "-created_at"),
        error_messages={
            "required": _("Choose a course version."),
            "invalid_choice": _("Choose a course version."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        help_text=_("For example Noord 2026-1."),
        error_messages={"required": _("Give the cohort a name.")},
    )
    starts_on = forms.DateField(
        label=_("Start date"), required=False, widget=DateInput, error_messages=_INVALID_DATE
    )


class CohortEnrolForm(forms.Form):
    professional = forms.ModelChoiceField(
        label=_("Professional"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose a professional."),
            "invalid_choice": _("Choose a professional."),
        },
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enrolled = Enrolment.objects.filter(version_id=cohort.version_id).values("professional_id")
        field = self.fields["professional"]
        field.queryset = (  # type: ignore[attr-defined]
            User.objects.professionals()
            .filter(organisation_id=cohort.organisation_id)
            .exclude(pk__in=enrolled)
            .order_by("full_name")
        )


class CohortChangeForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("New cohort"),
        queryset=Cohort.objects.none(),
        error_messages={"required": _("Choose a cohort."), "invalid_choice": _("Choose a cohort.")},
    )

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cohort"]
        field.queryset = (  # type: ignore[attr-defined]
            Cohort.objects.filter(
                organisation=enrolment.professional.organisation, version_id=enrolment.version_id
            )
            .exclude(pk__in=[enrolment.group_id])
            .order_by("name")
        )


class TrainingDayForm(forms.Form):
    requirement = forms.ModelChoiceField(
        label=_("Training day"),
        queryset=Requirement.objects.none(),
        error_messages={
            "required": _("Choose the training day."),
            "invalid_choice": _("Choose the training day."),
        },
    )
    date = forms.DateField(label=_("Date"), widget=DateInput, error_messages=_INVALID_DATE)
    place = forms.CharField(
        label=_("Place"), max_length=200, error_messages={"required": _("Fill in where the day takes place.")}
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"),
        queryset=User.objects.filter(is_supervisor=True, is_active=True).order_by("full_name"),
        error_messages={"required": _("Choose the trainer."), "invalid_choice": _("Choose the trainer.")},
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["requirement"]
        field.queryset = Requirement.objects.filter(  # type: ignore[attr-defined]
            version_id=cohort.version_id, kind=Requirement.Kind.TRAINING_DAY
        ).order_by("order")


class AttendanceListForm(forms.Form):
    """Everyone of the cohort is ticked as present; the trainer unticks who was absent."""

    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.choices = [(m.pk, m.professional.full_name) for m in members]  # type: ignore[attr-defined]
        field.initial = [m.pk for m in members]
