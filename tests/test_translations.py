"""Every Dutch catalogue is complete: no untranslated or fuzzy (guessed) message."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("*/locale/nl/LC_MESSAGES/*.po"))


def test_every_app_with_interface_text_has_a_dutch_catalogue():
    apps = {path.parts[len(ROOT.parts)] for path in CATALOGUES}
    assert {"vibplatform", "organisations", "courses", "recordings", "annotations", "certification"} <= apps


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_has_no_untranslated_or_fuzzy_messages(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
