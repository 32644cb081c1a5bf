from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dmop.models import (
    FAMILY_CODE_PATTERN,
    ConcernLevel,
    ContactMoment,
    Domain,
    Family,
    Partner,
    validate_not_bsn,
)
from dmop.services import AssessmentInput, PlanActionInput


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class FamilyForm(forms.Form):
    code = forms.RegexField(
        label=_("Family code"),
        regex=FAMILY_CODE_PATTERN,
        max_length=32,
        help_text=_(
            "A pseudonymous code from your own files: 3 to 32 letters, digits or hyphens. Never a name or BSN."
        ),
        error_messages={"invalid": _("Use 3 to 32 letters, digits or hyphens; never a name or BSN.")},
    )
    child_birth_month = forms.DateField(
        label=_("Child's month of birth"),
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        help_text=_("Optional. Month and year only."),
        error_messages={"invalid": _("Enter a month as year and month, e.g. 2025-03.")},
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        validate_not_bsn(code)
        if Family.objects.filter(organisation_id=self.organisation_id, code=code).exists():
            raise forms.ValidationError(_("This family code is already in use in your organisation."))
        return code

    def clean_child_birth_month(self) -> datetime.date | None:
        month = self.cleaned_data["child_birth_month"]
        if month and month > timezone.localdate():
            raise forms.ValidationError(_("The month of birth cannot lie in the future."))
        return month


class ContactMomentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Contact moment"), choices=[("", "—"), *ContactMoment.Kind.choices])

    def __init__(self, *args: Any, family: Family, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("A contact moment cannot lie in the future."))
        return date

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if (
            kind == ContactMoment.Kind.EIGHT_WEEKS_DOUBLE
            and ContactMoment.objects.filter(family=self.family, kind=kind).exists()
        ):
            raise forms.ValidationError(
                _("This family already has a double contact moment at 8 weeks; choose another kind.")
            )
        return kind


class DomainAssessmentForm(forms.Form):
    """One domain of the contact moment, with one agreement of the plan van aanpak."""

    domain = forms.ChoiceField(choices=Domain.choices, widget=forms.HiddenInput)
    risk_factors = forms.CharField(
        label=_("Risk factors"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    protective_factors = forms.CharField(
        label=_("Protective factors"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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
    plan_agreed_with_parents = forms.BooleanField(label=_("Agreed with the parents"), required=False)
    referral = forms.TypedChoiceField(label=_("Referral to"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, partners: dict[int, Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        # Choices from one list built by the view: the five forms share it instead of querying five times.
        referral = cast(forms.TypedChoiceField, self.fields["referral"])
        referral.choices = self._referral_choices()

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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_plan = bool((cleaned.get("plan_description") or "").strip())
        if not has_plan and (cleaned.get("referral") or cleaned.get("plan_agreed_with_parents")):
            self.add_error("plan_description", _("Describe the agreement that goes with this referral."))
        return cleaned

    def to_input(self) -> AssessmentInput:
        data = self.cleaned_data
        actions: tuple[PlanActionInput, ...] = ()
        if data["plan_description"].strip():
            referral = self.partners.get(data["referral"]) if data["referral"] else None
            actions = (PlanActionInput(data["plan_description"], data["plan_agreed_with_parents"], referral),)
        return AssessmentInput(
            domain=data["domain"],
            concern_level=data["concern_level"],
            risk_factors=data["risk_factors"],
            protective_factors=data["protective_factors"],
            plan_actions=actions,
        )


class BaseDomainAssessmentFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        domains = sorted(form.cleaned_data["domain"] for form in self.forms)
        if domains != sorted(Domain.values):
            raise forms.ValidationError(_("Assess each of the five domains exactly once."))


DomainAssessmentFormSet = forms.formset_factory(
    DomainAssessmentForm,
    formset=BaseDomainAssessmentFormSet,
    extra=0,
    min_num=5,
    max_num=5,
    validate_min=True,
    validate_max=True,
)


def assessment_formset(data: Any, partners: dict[int, Partner]) -> forms.BaseFormSet:
    initial = [{"domain": domain} for domain in Domain.values]
    return DomainAssessmentFormSet(
        data, initial=initial, prefix="domains", form_kwargs={"partners": partners}
    )


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contact person, phone number, e-mail address or website."),
    )
    domains = forms.MultipleChoiceField(
        label=_("Domains served"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of the five domains.")},
    )
