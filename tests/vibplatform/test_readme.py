"""The README shows exactly what `manage.py seed_demo` prints: the demo logins and what each can try."""

import io
import re
from pathlib import Path

from django.core.management import call_command

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def test_the_readme_quotes_the_demo_output_exactly(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    blocks = re.findall(r"```\n(professional: .*?)```", README.read_text(), flags=re.S)
    assert blocks == [out.getvalue()]
    assert "DMOP-certified" in out.getvalue()
