"""The video package is pure video work: importing it loads no Django, so it runs anywhere."""

import subprocess
import sys


def test_the_video_package_imports_without_django():
    program = (
        "import sys\n"
        "sys.modules['django'] = None  # any import of Django now fails\n"
        "import recordings.video\n"
        "import recordings.video.segmenting, recordings.video.segment_encoding\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )

    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['django']"  # only the blocked entry itself
