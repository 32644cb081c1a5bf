from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dmop.models import (
    ConcernLevel,
    ContactMoment,
    Domain,
    DomainAssessment,
    Factor,
    FactorKind,
    Family,
    Partner,
    PlanAction,
)
from dmop.monitoring import GroupBy, MonitoringFilter, ProfessionalStatus
from dmop.services import AssessmentInput, PlanActionInput
from vibplatform.widgets import DateInput


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class FamilyForm(forms.Form):
    """Parses the family's data; the rules (pattern, BSN, uniqueness, month) live in ``family_create``."""

    code = forms.CharField(
        label=_("Family code"),
        max_length=32,
        help_text=_(
            "A pseudonymous code from your own files: 3 to 32 letters, digits or hyphens. Never a name or BSN."
        ),
    )
    child_birth_month = forms.DateField(
        label=_("Child's month of birth"),
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        help_text=_("Month and year only."),
        error_messages={"invalid": _("Enter a month as year and month, e.g. 2025-03.")},
    )


class ContactMomentForm(forms.Form):
    """Parses date, kind and trigger; the rules live in ``contact_moment_errors``."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Contact moment"), choices=[("", "—"), *ContactMoment.Kind.choices])
    triggered_by = forms.TypedChoiceField(
        label=_("Extra contact moment because of"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For an extra contact moment: the concern that led to it."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed after the free correction period, or when you correct a colleague's record."),
    )

    def __init__(
        self, *args: Any, concerns: dict[int, DomainAssessment], correcting: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.concerns = concerns
        trigger = cast(forms.TypedChoiceField, self.fields["triggered_by"])
        trigger.choices = [("", "—")] + [(pk, _concern_label(a)) for pk, a in concerns.items()]
        if not correcting:
            del self.fields["reason"]

    @property
    def trigger(self) -> DomainAssessment | None:
        pk = self.cleaned_data.get("triggered_by")
        return self.concerns.get(pk) if pk else None


def _concern_label(assessment: DomainAssessment) -> str:
    moment = assessment.contact_moment
    return f"{moment.date:%d-%m-%Y} · {assessment.get_domain_display()} · {assessment.concern_level}"


def concerns_of(family: Family) -> dict[int, DomainAssessment]:
    """The family's domain assessments with concern: what an extra contact moment can answer."""
    rows = DomainAssessment.objects.filter(
        contact_moment__family=family, concern_level__gte=ConcernLevel.SLIGHT
    ).select_related("contact_moment")
    return {row.pk: row for row in rows.order_by("-contact_moment__date", "pk")}


class DomainAssessmentForm(forms.Form):
    """One domain of the contact moment, with one agreement of the plan van aanpak."""

    domain = forms.ChoiceField(choices=Domain.choices, widget=forms.HiddenInput)
    risk_factor_ids = forms.TypedMultipleChoiceField(
        label=_("Risk factors"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    risk_factors = forms.CharField(
        label=_("Other risk factors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    protective_factor_ids = forms.TypedMultipleChoiceField(
        label=_("Protective factors"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    protective_factors = forms.CharField(
        label=_("Other protective factors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    concern_level = forms.TypedChoiceField(
        label=_("Level of concern"),
        coerce=int,
        choices=ConcernLevel.choices,
        widget=forms.RadioSelect,
    )
    plan_description = forms.CharField(
        label=_("Agreement (plan van aanpak)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you and the parents agreed for this domain. Leave empty when nothing was agreed."),
    )
    plan_owner = forms.ChoiceField(label=_("Who"), choices=PlanAction.Owner.choices, required=False)
    plan_due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    plan_agreed_with_parents = forms.BooleanField(label=_("Agreed with the parents"), required=False)
    referral = forms.TypedChoiceField(label=_("Referral to"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, partners: dict[int, Partner], factors: dict[int, Factor], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        self.factors = factors
        # Choices from lists built by the view: the five forms share them instead of querying five times.
        referral = cast(forms.TypedChoiceField, self.fields["referral"])
        referral.choices = self._referral_choices()
        domain = self.initial.get("domain")
        for name, kind in (
            ("risk_factor_ids", FactorKind.RISK),
            ("protective_factor_ids", FactorKind.PROTECTIVE),
        ):
            field = cast(forms.TypedMultipleChoiceField, self.fields[name])
            field.choices = [
                (f.pk, f.label) for f in factors.values() if f.domain == domain and f.kind == kind
            ]

    def _referral_choices(self) -> list[Any]:
        """Partners serving this form's domain first, the rest of the sociale kaart below them."""
        domain = self.initial.get("domain")
        serving = [(p.pk, p.name) for p in self.partners.values() if domain in p.domain_values]
        others = [(p.pk, p.name) for p in self.partners.values() if domain not in p.domain_values]
        groups = [(_("Partners for this domain"), serving), (_("Other partners"), others)]
        return [("", _("No referral"))] + [(label, group) for label, group in groups if group]

    @property
    def domain_label(self) -> str:
        value = self.initial.get("domain") or self.data.get(self.add_prefix("domain"))
        return str(Domain(value).label) if value in Domain.values else ""

    def to_input(self) -> AssessmentInput:
        data = self.cleaned_data
        actions: tuple[PlanActionInput, ...] = ()
        # Anything said about a plan makes an action; the service refuses one without a description.
        if data["plan_description"].strip() or data["referral"] or data["plan_agreed_with_parents"]:
            referral = self.partners.get(data["referral"]) if data["referral"] else None
            actions = (
                PlanActionInput(
                    data["plan_description"],
                    data["plan_agreed_with_parents"],
                    referral,
                    owner=data["plan_owner"] or PlanAction.Owner.PARENTS,
                    due_on=data["plan_due_on"],
                ),
            )
        chosen = [*data["risk_factor_ids"], *data["protective_factor_ids"]]
        return AssessmentInput(
            domain=data["domain"],
            concern_level=data["concern_level"],
            risk_factors=data["risk_factors"],
            protective_factors=data["protective_factors"],
            plan_actions=actions,
            factors=tuple(self.factors[pk] for pk in chosen),
        )


DomainAssessmentFormSet = forms.formset_factory(
    DomainAssessmentForm, extra=0, min_num=5, max_num=5, validate_min=True, validate_max=True
)


def assessment_formset(
    data: Any, partners: dict[int, Partner], initial: list[dict[str, Any]] | None = None
) -> forms.BaseFormSet[DomainAssessmentForm]:
    factors = {f.pk: f for f in Factor.objects.filter(is_active=True)}
    initial = initial or [{"domain": domain} for domain in Domain.values]
    return DomainAssessmentFormSet(
        data, initial=initial, prefix="domains", form_kwargs={"partners": partners, "factors": factors}
    )


def show_service_errors(
    error: ValidationError, form: forms.Form, formset: forms.BaseFormSet[DomainAssessmentForm] | None = None
) -> None:
    """Put a service's field-keyed errors where they belong: on the field, on a domain's form, or on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    domain_forms = {f.initial.get("domain"): f for f in formset.forms} if formset is not None else {}
    for key, messages in error.message_dict.items():
        if key in form.fields:
            form.add_error(key, messages)
        elif key in domain_forms:
            domain_forms[key].add_error(None, messages)
        else:
            form.add_error(None, messages)


class PlanActionForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)
    evaluation = forms.CharField(
        label=_("Evaluation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    referral_status = forms.ChoiceField(
        label=_("Referral status"), required=False, choices=[("", "—"), *PlanAction.ReferralStatus.choices]
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contact person, phone number, e-mail address or website."),
    )
    # Not required here: "at least one domain" is the service's rule (partner_save), shown on this field.
    domains = forms.MultipleChoiceField(
        label=_("Domains served"), required=False, choices=Domain.choices, widget=forms.CheckboxSelectMultiple
    )


def correction_initial(moment: ContactMoment) -> dict[str, Any]:
    return {"date": moment.date, "kind": moment.kind, "triggered_by": moment.triggered_by_id}


def assessment_initial(moment: ContactMoment) -> list[dict[str, Any]]:
    """The saved five domains as the correction form's starting values, in protocol order."""
    rows = {row.domain: row for row in moment.assessments.prefetch_related("factors")}
    initial: list[dict[str, Any]] = []
    for domain in Domain.values:
        row = rows.get(domain)
        if row is None:  # a record from before every domain was required
            initial.append({"domain": domain})
            continue
        chosen = list(row.factors.all())
        initial.append(
            {
                "domain": domain,
                "concern_level": row.concern_level,
                "risk_factors": row.risk_factors,
                "protective_factors": row.protective_factors,
                "risk_factor_ids": [f.pk for f in chosen if f.kind == FactorKind.RISK],
                "protective_factor_ids": [f.pk for f in chosen if f.kind == FactorKind.PROTECTIVE],
            }
        )
    return initial


_GROUP_BY_CHOICES = [
    (GroupBy.BIRTH_YEAR, _("Year of birth")),
    (GroupBy.CERTIFICATION, _("Certified vs in training")),
    (GroupBy.ORGANISATION, _("Organisations")),
]


class MonitoringFilterForm(forms.Form):
    """The monitoring page's filters (GET); every field falls back to a sensible default."""

    period_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    birth_year = forms.TypedChoiceField(
        label=_("Year of birth"), required=False, coerce=int, empty_value=None
    )
    professional_status = forms.ChoiceField(
        label=_("First contact by"),
        required=False,
        choices=[
            ("", _("Any professional")),
            (ProfessionalStatus.CERTIFIED, _("Certified professionals")),
            (ProfessionalStatus.IN_TRAINING, _("Professionals in training")),
        ],
    )
    cohort = forms.TypedChoiceField(
        label=pgettext_lazy("families by period of first contact", "Cohort"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    domain = forms.ChoiceField(label=_("Domain"), required=False, choices=Domain.choices)
    threshold = forms.TypedChoiceField(
        label=_("Signal from concern level"), required=False, coerce=int, choices=ConcernLevel.choices[1:]
    )
    group_by = forms.ChoiceField(label=_("Compare"), required=False, choices=_GROUP_BY_CHOICES)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]] | None,
        cohorts: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cohort = cast(forms.TypedChoiceField, self.fields["cohort"])
        cohort.choices = [("", _("All cohorts")), *cohorts]
        this_year = timezone.localdate().year
        years = cast(forms.TypedChoiceField, self.fields["birth_year"])
        years.choices = [("", _("All years"))] + [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        if organisations is None:  # a coordinator: their own organisation only
            del self.fields["organisation"]
            group_by = cast(forms.ChoiceField, self.fields["group_by"])
            group_by.choices = [c for c in _GROUP_BY_CHOICES if c[0] != GroupBy.ORGANISATION]
        else:
            organisation = cast(forms.TypedChoiceField, self.fields["organisation"])
            organisation.choices = [("", _("All organisations")), *organisations]

    def to_filter(self, organisation_id: int | None) -> MonitoringFilter:
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localdate()
        period_to = data.get("period_to") or today
        return MonitoringFilter(
            period_from=data.get("period_from") or period_to - datetime.timedelta(days=365),
            period_to=period_to,
            organisation_id=organisation_id,
            birth_year=data.get("birth_year"),
            professional_status=data.get("professional_status") or "",
            cohort_id=data.get("cohort"),
            domain=data.get("domain") or Domain.CHILD_WELLBEING,
            threshold=data.get("threshold") or ConcernLevel.CONCERN,
            group_by=data.get("group_by") or GroupBy.BIRTH_YEAR,
        )
