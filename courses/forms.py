from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import AssessmentCriterion, Course, Enrolment
from organisations.models import Organisation, SupervisorAssignment, User
from recordings.models import Recording, VibCycle
from vibplatform.widgets import DateInput


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


class CriteriaForm(forms.Form):
    """Adds a score (on the scale) and a motivation per criterion of the assessment."""

    def add_criteria(self, criteria: list[AssessmentCriterion]) -> None:
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=AssessmentCriterion.SCALE,
                coerce=int,
                error_messages={"required": _("Give a score for this criterion.")},
            )
            self.fields[f"motivation_{criterion.pk}"] = forms.CharField(
                label=_("Motivation: %(criterion)s") % {"criterion": criterion.title},
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Motivate the score of this criterion.")},
            )

    def scores(self) -> list[tuple[AssessmentCriterion, int, str]]:
        data = self.cleaned_data
        return [(c, data[f"score_{c.pk}"], data[f"motivation_{c.pk}"]) for c in self.criteria]

    def general_data(self) -> dict[str, object]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith(("score_", "motivation_"))}


class MilestoneForm(CriteriaForm):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    second_assessor = forms.ModelChoiceField(
        label=_("Second trainer"),
        queryset=User.objects.filter(is_supervisor=True, is_active=True).order_by("full_name"),
        required=False,
    )
    text = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 5}))
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Positive")), ("no", _("Negative: a new attempt follows"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, actor: User, criteria: list[AssessmentCriterion] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["second_assessor"]
        field.queryset = field.queryset.exclude(pk=actor.pk)  # type: ignore[attr-defined]
        self.add_criteria(criteria or [])


class FinalAssessmentForm(CriteriaForm):
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

    def __init__(self, *args: Any, criteria: list[AssessmentCriterion] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_criteria(criteria or [])


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

    def __init__(self, *args: Any, show_organisation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_organisation:
            del self.fields["organisation"]


class SupervisorAssignmentForm(forms.Form):
    """Assign a supervisor or trainer to an enrolment; the service checks the kind against the course."""

    supervisor = forms.ModelChoiceField(
        label=_("Supervisor or trainer"),
        queryset=User.objects.filter(is_supervisor=True, is_active=True).order_by("full_name"),
        help_text=_("External AIT supervisors of any organisation can be chosen."),
        error_messages={"required": _("Choose a supervisor or trainer.")},
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        widget=DateInput,
        required=False,
        help_text=_("The assignment also ends when the enrolment is completed or withdrawn."),
    )


class SupervisionSessionForm(forms.Form):
    """A session for one trainee (the enrolment of the page) and optionally others (group supervision)."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=480, initial=60
    )
    others = forms.ModelMultipleChoiceField(
        label=_("Other trainees (group supervision)"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cycles = forms.ModelMultipleChoiceField(
        label=_("Cycles discussed"),
        queryset=VibCycle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recordings = forms.ModelMultipleChoiceField(
        label=_("Films discussed"),
        queryset=Recording.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    work_points = forms.CharField(
        label=_("Werkpunten"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, enrolment: Enrolment, supervisor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assigned = SupervisorAssignment.objects.active().filter(supervisor=supervisor)
        others = Enrolment.objects.active().filter(
            pk__in=assigned.values("enrolment_id"), version__course_id=enrolment.version.course_id
        )
        trainees = assigned.values("trainee_id")
        self.fields["others"].queryset = others.exclude(pk=enrolment.pk).select_related("professional")  # type: ignore[attr-defined]
        self.fields["cycles"].queryset = VibCycle.objects.filter(  # type: ignore[attr-defined]
            professional__in=trainees, enrolment__isnull=False
        ).select_related("professional")
        self.fields["recordings"].queryset = (  # type: ignore[attr-defined]
            Recording.objects.not_deleted().filter(professional__in=trainees).select_related("professional")
        )


class ReportForm(forms.Form):
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    work_points = forms.CharField(
        label=_("Werkpunten"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipationForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("learning_question", "learning_question"), ("reflection", "reflection")]
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a text.")},
    )
