"""What a pseudonymous family code looks like: the one rule used by recordings, families and DMOP.

A family is known on the platform only by a code from the organisation's own files. The code must never
be a name or a citizen service number (BSN), which would identify the child directly.
"""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

FAMILY_CODE_PATTERN = r"^[A-Za-z0-9-]{3,32}$"
FAMILY_CODE_MAX_LENGTH = 32

family_code_validator = RegexValidator(
    FAMILY_CODE_PATTERN,
    _("Use 3 to 32 letters, digits or hyphens: a pseudonymous code, never a name or citizen number."),
    code="invalid_family_code",
)

# A BSN has 9 digits (older ones 8, the leading zero dropped). Any code of only 8 or 9 digits is refused,
# whether or not it passes the eleven test: a mistyped BSN identifies a child just as well, and a
# pseudonymous code never needs that shape.
_BSN_SHAPE = re.compile(r"^\d{8,9}$")


def looks_like_bsn(value: str) -> bool:
    """True when ``value`` has the shape of a citizen service number (8 or 9 digits, nothing else)."""
    return bool(_BSN_SHAPE.match(value or ""))


def family_code_problem(code: str) -> str:
    """Why ``code`` is not an acceptable pseudonymous family code, or "" when it is."""
    if not re.match(FAMILY_CODE_PATTERN, code or ""):
        return str(_("Use 3 to 32 letters, digits or hyphens: a pseudonymous code, never a name."))
    if looks_like_bsn(code):
        return str(_("This looks like a citizen service number (BSN). Use the pseudonymous family code."))
    return ""
