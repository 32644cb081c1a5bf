"""Hostile uploads: files that point ffmpeg elsewhere, or whose header lies about their length.

Each is processed as an upload would be and must end rejected in Dutch with nothing stored, and
without ffmpeg ever touching the file or address it names.
"""

from __future__ import annotations

import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from recordings.models import Recording, Rendition
from recordings.pipeline import recording_process
from tests.recordings.fixtures_media import *  # noqa: F403
from tests.recordings.fixtures_media import ffmpeg_run, stored_keys, stored_recording_of
from tests.video.fixtures import film_claiming_one_second

pytestmark = pytest.mark.django_db

NOT_A_VIDEO = "geen video"


def process(recording: Recording) -> Recording:
    recording_process(recording_id=str(recording.pk))
    recording.refresh_from_db()
    return recording


def assert_refused_without_a_trace(recording: Recording, words: str) -> None:
    assert recording.status == Recording.Status.REJECTED
    assert words in recording.rejection_reason
    assert stored_keys(recording) == []
    assert not recording.renditions.filter(status=Rendition.Status.DONE).exists()


@pytest.fixture(scope="module")
def secret_film(tmp_path_factory, video_fixtures) -> Path:
    """Another film on the worker's disk (someone else's recording) in MPEG-TS, which HLS lists."""
    path = tmp_path_factory.mktemp("elsewhere") / "secret.ts"
    ffmpeg_run("-i", str(video_fixtures["landscape_h264_aac.mp4"].path), "-c", "copy", str(path))
    return path


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on localhost that writes down every path asked of it."""
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


def test_an_hls_playlist_naming_a_local_film_is_refused_and_that_film_never_stored(
    professional, secret_film, tmp_path
):
    playlist = tmp_path / "film.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:4.0,\n{secret_film}\n#EXT-X-ENDLIST\n")

    recording = process(stored_recording_of(professional, playlist))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)


def test_an_hls_playlist_naming_a_url_is_refused_without_a_request(professional, web_server, tmp_path):
    address, requests = web_server
    playlist = tmp_path / "film.m3u8"
    playlist.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n{address}/a.ts\n#EXT-X-ENDLIST\n")

    recording = process(stored_recording_of(professional, playlist))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)
    assert requests == []


def test_a_concat_list_naming_a_local_film_is_refused(professional, secret_film, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"ffconcat version 1.0\nfile '{secret_film}'\nfile '{secret_film.name}'\n")

    recording = process(stored_recording_of(professional, listing))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)


def test_an_sdp_description_of_a_network_stream_is_refused(professional, tmp_path):
    sdp = tmp_path / "stream.sdp"
    sdp.write_text(
        "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=film\nc=IN IP4 127.0.0.1\nt=0 0\n"
        "m=video 5004 RTP/AVP 96\na=rtpmap:96 H264/90000\n"
    )

    recording = process(stored_recording_of(professional, sdp))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)


def test_an_image_sequence_of_joined_jpegs_is_refused(professional, tmp_path):
    frames = tmp_path / "frame%02d.jpg"
    ffmpeg_run("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1", str(frames))
    joined = tmp_path / "sequence.mp4"
    joined.write_bytes(b"".join(path.read_bytes() for path in sorted(tmp_path.glob("frame*.jpg"))))

    recording = process(stored_recording_of(professional, joined))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)


def test_an_animated_gif_is_refused(professional, tmp_path):
    gif = tmp_path / "moving.gif"
    ffmpeg_run("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=2", str(gif))

    recording = process(stored_recording_of(professional, gif))

    assert_refused_without_a_trace(recording, NOT_A_VIDEO)


@override_settings(RECORDING_MAX_DURATION_SECONDS=120)
def test_a_ten_hour_film_claiming_one_second_is_stopped_at_the_limit_and_refused(professional, tmp_path):
    liar = film_claiming_one_second(tmp_path / "liar.mkv", seconds=10 * 3600)
    header = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(liar)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert float(header.stdout) == 1.0

    recording = process(stored_recording_of(professional, liar))

    assert_refused_without_a_trace(recording, "langer dan de toegestane 2 minuten")
