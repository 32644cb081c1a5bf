"""Workspace speed with 2,000 annotations, measured in Debian's chromium.

    .venv/bin/python bench/workspace_browser.py [--runs 5]

Runs the browser test tests/annotations/test_browser_many_annotations.py (which checks behaviour only)
``--runs`` times and prints the median with min-max of the timings it reports: page response, time from
response to a ready player, and the cost of one "follow playback" update (the target is one animation
frame, 16 ms). Uses DATABASE_URL and REDIS_URL from the environment, like the test suite.
"""

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/annotations/test_browser_many_annotations.py"
LINE = re.compile(r"BENCH 2000 annotations: response ([\d.]+) ms, startup ([\d.]+) ms, follow ([\d.]+) ms")


def _one_run() -> tuple[float, float, float]:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "pytest", "-n", "0", "-q", "-s", TEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = LINE.search(result.stdout)
    if result.returncode != 0 or found is None:
        sys.exit(f"the browser test failed:\n{result.stdout[-3000:]}")
    response, startup, follow = (float(value) for value in found.groups())
    return response, startup, follow


def _summary(values: list[float], unit: str) -> str:
    return f"median {statistics.median(values):.2f} {unit} (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    runs = [_one_run() for _ in range(parser.parse_args().runs)]
    print(f"runs: {len(runs)}")
    print("page response:            " + _summary([run[0] for run in runs], "ms"))
    print("response to player ready: " + _summary([run[1] for run in runs], "ms"))
    print("one follow-playback update: " + _summary([run[2] for run in runs], "ms") + "  (target < 16 ms)")


if __name__ == "__main__":
    main()
