"""CSV cells that a spreadsheet opens as text, never as a formula (CSV injection)."""

# Excel and LibreOffice run a cell starting with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
