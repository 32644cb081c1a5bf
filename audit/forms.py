from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation


class LogFilterForm(forms.Form):
    # Family codes are unique only within an organisation: a family's list needs both.
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    family_code = forms.CharField(label=_("Family code"), max_length=32, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    recording_id = forms.CharField(label=_("Recording"), max_length=36, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("family_code") and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation that issued this family code."))
        return data
