"""Form widgets shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (``2026-12-03``), whatever the language:
    a localised value such as the Dutch ``03-12-2026`` is discarded by ``<input type="date">``, which
    then shows an empty field and sends nothing back."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
