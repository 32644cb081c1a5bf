"""`make run PORT=...`: the public address (e-mail links, certificate QR codes) follows the port."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _site_url(env: dict[str, str], tmp_path: Path) -> str:
    full_env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    full_env.update({"DJANGO_SETTINGS_MODULE": "vibplatform.settings", "DATA_DIR": str(tmp_path), **env})
    code = "import django; from django.conf import settings; django.setup(); print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_site_url_follows_port(tmp_path):
    assert _site_url({"PORT": "8123"}, tmp_path) == "http://127.0.0.1:8123"
    assert _site_url({}, tmp_path) == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins(tmp_path):
    assert _site_url({"PORT": "8123", "SITE_URL": "https://vib.example"}, tmp_path) == "https://vib.example"


def test_the_run_script_serves_on_port():
    script = (ROOT / "scripts" / "run_platform.sh").read_text()
    assert 'runserver "127.0.0.1:$PORT"' in script
    assert "PORT ?= 8000" in (ROOT / "Makefile").read_text()
