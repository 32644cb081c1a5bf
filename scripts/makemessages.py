"""Update every app's Dutch message catalogue (<app>/locale/nl/LC_MESSAGES/django.po)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "vibplatform",
    "organisations",
    "courses",
    "families",
    "recordings",
    "annotations",
    "certification",
    "dmop",
]

for app in APPS:
    folder = ROOT / app
    (folder / "locale").mkdir(exist_ok=True)
    for domain in ("django", "djangojs"):
        if domain == "djangojs" and not any(folder.rglob("*.js")):
            continue
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "nl",
                "-d",
                domain,
                "--no-location",
                "--no-obsolete",
            ],
            cwd=folder,
            check=True,
        )
