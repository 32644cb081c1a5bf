from django import forms
from django.utils.translation import gettext_lazy as _


class LogFilterForm(forms.Form):
    family_code = forms.CharField(label=_("Family code"), max_length=32, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
