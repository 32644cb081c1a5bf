from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from families.models import ConsentPurpose, GivenBy
from families.pseudonyms import family_code_problem
from organisations.models import User
from recordings.models import Recording, VibCycle
from vibplatform.widgets import DateInput


class CycleChoiceField(forms.ModelChoiceField[VibCycle]):
    def label_from_instance(self, obj: VibCycle) -> str:
        # Date and time: two films of the same day must be told apart.
        moment = date_format(timezone.localtime(obj.created_at), "DATETIME_FORMAT")
        return str(_("VIB cycle of {day}")).format(day=moment)


class ConsentRecordingForm(forms.Form):
    """The family's consent, then what is being filmed. Rules live in the service; this is the input."""

    family_code = forms.CharField(
        label=_("Family code"),
        max_length=32,
        help_text=_("The pseudonymous code of the family: never a name or citizen service number (BSN)."),
    )
    given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[("", _("(the family's consent is already recorded)")), *GivenBy.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Every parent or carer with parental authority signs; from 12 the child too, from 16 "
            "the young person alone."
        ),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Consent covers"),
        choices=ConsentPurpose.choices,
        initial=[ConsentPurpose.VIB_SUPERVISION],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    given_on = forms.DateField(label=_("Consent given on"), widget=DateInput, required=False)
    valid_until = forms.DateField(
        label=_("Consent valid until"),
        widget=DateInput,
        required=False,
        help_text=_("The film and everything made from it is deleted after this date."),
    )
    kind = forms.ChoiceField(
        label=_("What are you filming?"),
        choices=Recording.Kind.choices,
        initial=Recording.Kind.HOME_VISIT,
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Recording.Purpose.choices,
        initial=Recording.Purpose.TRAINING,
        widget=forms.RadioSelect,
        help_text=_("Practice: a family outside your training; this requires a valid VIB certificate."),
    )
    cycle = CycleChoiceField(
        label=_("VIB cycle"),
        queryset=VibCycle.objects.none(),
        required=False,
        empty_label=_("(new cycle)"),
        help_text=_("For a review conversation: the cycle of the home-visit film it is about."),
    )

    def clean_family_code(self) -> str:
        # Checked here too (the service checks again) so the message shows even when other fields are empty.
        family_code: str = self.cleaned_data["family_code"].strip()
        if error := family_code_problem(family_code):
            raise forms.ValidationError(error)
        return family_code

    def __init__(self, *args: Any, professional: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the professional's own cycles can be chosen: someone else's cycle is not even listed.
        cycle_field = self.fields["cycle"]
        assert isinstance(cycle_field, CycleChoiceField)
        cycle_field.queryset = VibCycle.objects.filter(professional=professional)
