"""Every Dutch catalogue is complete: no untranslated or fuzzy (guessed) message, and one word per message."""

import gettext
import subprocess
from collections import defaultdict
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


def test_a_message_means_the_same_in_every_app(tmp_path):
    # Django merges the apps' catalogues into one: of two translations of the same msgid only the first
    # app's shows, everywhere. Where the meaning really differs, the code gives a context (pgettext).
    translations: dict[str, dict[str, str]] = defaultdict(dict)
    for catalogue in (path for path in CATALOGUES if path.name == "django.po"):
        app = catalogue.parts[len(ROOT.parts)]
        compiled = tmp_path / f"{app}.mo"
        subprocess.run(["msgfmt", "-o", str(compiled), str(catalogue)], check=True)
        with compiled.open("rb") as handle:
            for msgid, msgstr in gettext.GNUTranslations(handle)._catalog.items():
                if msgid and msgstr:
                    translations[str(msgid)][app] = str(msgstr)
    differing = {msgid: apps for msgid, apps in translations.items() if len(set(apps.values())) > 1}
    assert differing == {}
