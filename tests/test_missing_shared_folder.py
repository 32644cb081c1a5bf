"""A checkout without ../shared/video-fixtures gets one message saying what is missing, not an error per
pipeline test."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_missing_video_fixtures_script_stops_the_run_with_one_message(tmp_path):
    missing = tmp_path / "shared" / "video-fixtures" / "make_fixtures.sh"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "--collect-only", "tests/video/test_probing.py"],
        cwd=ROOT,
        env=os.environ | {"VIDEO_FIXTURES_SCRIPT": str(missing)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 4, output
    assert output.count(f"need the video fixtures script {missing}, which is missing") == 1
    assert "Error" not in output and "error" not in output.replace("returncode", "")
