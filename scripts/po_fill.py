"""Fill empty Dutch translations in a .po file from a Python dict file.

    python scripts/po_fill.py courses/locale/nl/LC_MESSAGES/django.po translations.py

``translations.py`` defines ``NL = {"English msgid": "Nederlandse vertaling", ...}``. Entries already
translated are left alone; the script prints the msgids still untranslated afterwards.

Trap: makemessages guesses a translation for a new msgid from a similar old one and marks it fuzzy
("#, fuzzy" with the old msgid on "#|" lines). Those guesses are usually wrong, so they are dropped here:
a fuzzy entry counts as untranslated.
"""

import re
import runpy
import sys
from pathlib import Path

_ENTRY = re.compile(r'(msgid ((?:".*"\n)+))(msgstr ((?:".*"\n)+))', re.MULTILINE)


def _unquote(block: str) -> str:
    parts = re.findall(r'^"(.*)"$', block, re.MULTILINE)
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"\n'


_FUZZY = re.compile(r'^#, fuzzy\n((?:#\| .*\n)*)(msgid (?:".*"\n)+)msgstr (?:".*"\n)+', re.MULTILINE)


def _drop_fuzzy_guesses(text: str) -> str:
    header, body = text.split("\n\n", 1)
    return header.replace("#, fuzzy\n", "") + "\n\n" + _FUZZY.sub(lambda m: f'{m.group(2)}msgstr ""\n', body)


def fill(po_path: Path, translations: dict[str, str]) -> list[str]:
    text = _drop_fuzzy_guesses(po_path.read_text())
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        msgid = _unquote(match.group(2))
        if not msgid or _unquote(match.group(4)):
            return match.group(0)
        if msgid in translations:
            return f"{match.group(1)}msgstr {_quote(translations[msgid])}"
        missing.append(msgid)
        return match.group(0)

    po_path.write_text(_ENTRY.sub(replace, text))
    return missing


if __name__ == "__main__":
    still_missing = fill(Path(sys.argv[1]), runpy.run_path(sys.argv[2])["NL"])
    for msgid in still_missing:
        print("untranslated:", msgid)
