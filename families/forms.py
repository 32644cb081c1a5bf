from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import ConsentPurpose


class WithdrawForm(forms.Form):
    """Which purposes the family withdraws; none ticked means all of them."""

    purposes = forms.MultipleChoiceField(
        label=_("Withdraw consent for"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick nothing to withdraw every purpose. Withdrawing VIB supervision erases all films."),
    )


class SignedFormUploadForm(forms.Form):
    file = forms.FileField(label=_("Scan or photo of the signed form"))
