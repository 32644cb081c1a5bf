"""Probing and validating an uploaded file: what it is, whether it may become a recording.

ffprobe reads only the allowed containers (``DEMUXERS``) from the one local file (``PROTOCOLS``).
"""

from __future__ import annotations

import enum
import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Codecs that hold still pictures. A stream of one of these with a single frame is a photo, not a film.
IMAGE_CODECS = frozenset(
    {"png", "mjpeg", "jpeg2000", "jpegls", "bmp", "gif", "webp", "tiff", "heif", "hevc_image", "jpegxl"}
)
# Demuxers that read single pictures (ffprobe's format_name for a photo).
IMAGE_FORMAT_SUFFIXES = ("_pipe", "image2", "gif", "apng")
HDR_TRANSFERS = frozenset({"smpte2084", "arib-std-b67"})
INTERLACED_FIELD_ORDERS = frozenset({"tt", "bb", "tb", "bt"})
BROWSER_H264_PROFILES = frozenset({"Baseline", "Constrained Baseline", "Main", "High"})

HIGH_SHORT_SIDE, HIGH_LONG_SIDE = 1080, 1920
PROBE_TIMEOUT_SECONDS = 120
# Slow-motion phone films run at up to 240 frames a second; more frames than that per allowed second
# means the timestamps lie (thousands of frames packed into a short declared duration).
MAX_FRAME_RATE = 240

# What ffprobe and ffmpeg may read: the containers that cameras, phones and browsers write, and only
# the one local file. With everything enabled (ffmpeg's default) a 140-byte HLS playlist, a concat list
# or an SDP description uploaded "as a film" makes ffmpeg open other files, sockets or URLs.
# mov = MP4/MOV/3GP (external data references stay off: the demuxer's enable_drefs defaults to 0),
# matroska = MKV/WebM, mpegts = MTS/M2TS camcorders, mpeg = MPEG-PS (DVD/VOB, old cameras),
# avi, asf = WMV.
DEMUXERS = ("mov", "matroska", "mpegts", "mpeg", "avi", "asf")
PROTOCOLS = ("file",)
# Leading bytes of still-image files. Their demuxers are not allowed, so recognise them here to say
# "this is a photo" instead of "unreadable"; a run of concatenated JPEGs (an image sequence) too.
IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


class RejectReason(enum.Enum):
    """Why a file cannot become a recording. The pipeline turns these into Dutch messages."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    NO_VIDEO = "no_video"
    AUDIO_ONLY = "audio_only"
    IMAGE = "image"
    TRUNCATED = "truncated"
    TOO_LONG = "too_long"
    # Decoding found more film than the header declared, past the limit: stopped there, refused.
    OVER_LIMIT = "over_limit"
    TOO_LARGE = "too_large"


class MediaRejected(Exception):
    """The input is not a usable video. Never retried: the same bytes give the same answer."""

    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


class MediaStalled(Exception):
    """ffmpeg made no progress for too long and was killed. Worth another try."""


@dataclass(frozen=True)
class Limits:
    """What the platform accepts. Checked on the header first, then enforced while decoding."""

    max_duration_seconds: float
    max_pixels: int

    @property
    def max_frames(self) -> int:
        return int(self.max_duration_seconds * MAX_FRAME_RATE)

    @property
    def read_seconds(self) -> float:
        """How much film ffmpeg reads at most: a little past the limit, to tell "over" from "at"."""
        return self.max_duration_seconds + 1.0


@dataclass(frozen=True)
class Probe:
    """What ffprobe says about a file, reduced to what the pipeline decides on."""

    format_name: str  # ffprobe's demuxer name list, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    duration: float  # seconds, from the first to the last timestamp
    start_time: float  # the file's first timestamp: position 0 of the recording's timeline
    video_index: int | None  # absolute stream index of the film (cover art excluded)
    video_codec: str = ""
    video_profile: str = ""
    pix_fmt: str = ""
    coded_width: int = 0
    coded_height: int = 0
    sample_aspect: float = 1.0
    rotation: int = 0  # clockwise degrees the picture must be turned to display upright: 0/90/180/270
    frame_count: int | None = None
    color_transfer: str = ""
    color_primaries: str = ""
    color_space: str = ""
    field_order: str = ""
    # RFC 6381 codecs string of an HEVC picture (from its hvcC record), e.g. "hvc1.2.4.L120.B0".
    video_codecs: str = ""
    audio_index: int | None = None
    audio_codec: str = ""
    audio_channels: int = 0
    audio_sample_rate: int = 0
    # The streams' own first timestamps (the file's ``start_time`` is the earliest of them).
    video_start: float = 0.0
    audio_start: float = 0.0
    has_other_audio: bool = False  # an audio stream exists (also when there is no video)

    @property
    def has_audio(self) -> bool:
        return self.audio_index is not None

    @property
    def demuxer(self) -> str:
        """The allowed demuxer that read the file: forced on every later ffmpeg run of it."""
        names = self.format_name.split(",")
        return next((name for name in names if name in DEMUXERS), names[0])

    @property
    def display_width(self) -> int:
        width = round(self.coded_width * self.sample_aspect)
        return self.coded_height if self.rotation in (90, 270) else width

    @property
    def display_height(self) -> int:
        width = round(self.coded_width * self.sample_aspect)
        return width if self.rotation in (90, 270) else self.coded_height

    @property
    def is_hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS

    @property
    def is_interlaced(self) -> bool:
        return self.field_order in INTERLACED_FIELD_ORDERS


# --- probing and validation -----------------------------------------------------------------------------


def probe(path: Path) -> Probe:
    """Probe ``path``; raise ``MediaRejected`` for an empty or unreadable file or one without video."""
    if path.stat().st_size == 0:
        raise MediaRejected(RejectReason.EMPTY)
    if _is_still_image(path):
        raise MediaRejected(RejectReason.IMAGE)
    try:
        info = _ffprobe(path, "-show_format", "-show_streams")
    except subprocess.CalledProcessError as exc:
        reason = RejectReason.TRUNCATED if _is_cut_short_mp4(path) else RejectReason.UNREADABLE
        raise MediaRejected(reason, _stderr_tail(exc.stderr)) from exc
    except subprocess.TimeoutExpired as exc:
        raise MediaRejected(RejectReason.UNREADABLE, "ffprobe timed out") from exc
    result = _probe_from_info(info)
    if result.video_index is not None and result.duration <= 0:
        result = _with_packet_duration(path, result)
    if result.video_codec == "hevc":
        result = _with_hevc_codecs(path, result)
    return result


def _is_cut_short_mp4(path: Path) -> bool:
    """An MP4/MOV that starts like one but cannot be read: an interrupted copy, its index (at the end)
    never written. Worth a different message than "not a video" (copy the film again)."""
    with open(path, "rb") as file:
        head = file.read(12)
    return head[4:8] == b"ftyp"


def _is_still_image(path: Path) -> bool:
    with open(path, "rb") as file:
        head = file.read(12)
    webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return webp or head.startswith(IMAGE_SIGNATURES)


def input_options(demuxer: str | None = None) -> dict[str, str]:
    """ffmpeg/ffprobe input options: only the allowed demuxers (or the one already found) and protocol."""
    options = {"protocol_whitelist": ",".join(PROTOCOLS), "format_whitelist": ",".join(DEMUXERS)}
    if demuxer is not None:
        options["f"] = demuxer
    return options


def local_url(path: Path) -> str:
    """``file:`` in front, so no file name is ever taken for another protocol (``http:...``)."""
    return f"file:{path.resolve()}"


def _ffprobe(path: Path, *options: str) -> dict[str, Any]:
    allowlist = [arg for key, value in input_options().items() for arg in (f"-{key}", value)]
    completed = subprocess.run(
        ["ffprobe", "-hide_banner", "-v", "error", "-of", "json", *allowlist, *options, local_url(path)],
        capture_output=True,
        check=True,
        timeout=PROBE_TIMEOUT_SECONDS,
    )
    return dict(json.loads(completed.stdout or b"{}"))


def _probe_from_info(info: dict[str, Any]) -> Probe:
    fmt = info.get("format", {})
    streams = info.get("streams", [])
    video = next((s for s in streams if _is_film_stream(s)), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    start = _float(fmt.get("start_time"))
    duration = _float(fmt.get("duration"))
    common: dict[str, Any] = {
        "format_name": fmt.get("format_name", ""),
        "duration": duration,
        "start_time": start,
        "has_other_audio": audio is not None,
    }
    if audio is not None:
        common |= {
            "audio_index": int(audio["index"]),
            "audio_codec": audio.get("codec_name", ""),
            "audio_channels": int(audio.get("channels") or 0),
            "audio_sample_rate": int(audio.get("sample_rate") or 0),
            "audio_start": _float(audio.get("start_time")),
        }
    if video is None:
        return Probe(video_index=None, **common)
    if duration <= 0:
        common["duration"] = _float(video.get("duration"))
    return Probe(
        video_index=int(video["index"]),
        video_codec=video.get("codec_name", ""),
        video_profile=video.get("profile", ""),
        pix_fmt=video.get("pix_fmt", ""),
        coded_width=int(video.get("width") or 0),
        coded_height=int(video.get("height") or 0),
        sample_aspect=_aspect(video.get("sample_aspect_ratio")),
        rotation=_rotation(video),
        frame_count=int(video["nb_frames"]) if str(video.get("nb_frames", "")).isdigit() else None,
        color_transfer=video.get("color_transfer", ""),
        color_primaries=video.get("color_primaries", ""),
        color_space=video.get("color_space", ""),
        field_order=video.get("field_order", ""),
        video_start=_float(video.get("start_time")),
        **common,
    )


def _is_film_stream(stream: dict[str, Any]) -> bool:
    # Cover art in music files and phone thumbnails are "video" streams holding one picture.
    attached = stream.get("disposition", {}).get("attached_pic") == 1
    return stream.get("codec_type") == "video" and not attached


def _rotation(stream: dict[str, Any]) -> int:
    """Clockwise display rotation from the display matrix (ffmpeg 5+) or the older ``rotate`` tag."""
    degrees: float = 0
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            # The display matrix gives the counter-clockwise angle, so -90 means "turn 90 clockwise".
            degrees = -float(side_data["rotation"])
            break
    else:
        degrees = _float(stream.get("tags", {}).get("rotate"))
    return int(round(degrees / 90.0)) % 4 * 90


def _with_packet_duration(path: Path, result: Probe) -> Probe:
    """Files written by a browser's MediaRecorder have no duration in their header: read the packets."""
    try:
        info = _ffprobe(
            path, "-select_streams", str(result.video_index), "-show_entries", "packet=pts_time,duration_time"
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return result
    ends = [_float(p.get("pts_time")) + _float(p.get("duration_time")) for p in info.get("packets", [])]
    if not ends:
        return result
    duration = max(ends) - result.start_time
    return Probe(**{**result.__dict__, "duration": duration, "frame_count": len(ends)})


def validate(info: Probe, limits: Limits) -> None:
    """Raise ``MediaRejected`` when the probed file cannot become a recording."""
    if info.video_index is None:
        raise MediaRejected(RejectReason.AUDIO_ONLY if info.has_other_audio else RejectReason.NO_VIDEO)
    if _looks_like_image(info):
        raise MediaRejected(RejectReason.IMAGE)
    if info.coded_width <= 0 or info.coded_height <= 0 or info.duration <= 0:
        raise MediaRejected(RejectReason.UNREADABLE, "no picture size or duration")
    if info.coded_width * info.coded_height > limits.max_pixels:
        raise MediaRejected(RejectReason.TOO_LARGE, f"{info.coded_width}x{info.coded_height}")
    if info.duration > limits.max_duration_seconds:
        raise MediaRejected(RejectReason.TOO_LONG, f"{info.duration:.0f}s")


def _looks_like_image(info: Probe) -> bool:
    if any(info.format_name.endswith(suffix) for suffix in IMAGE_FORMAT_SUFFIXES):
        return True
    if info.frame_count is not None and info.frame_count <= 1:
        return True
    return info.video_codec in IMAGE_CODECS and info.duration <= 0.1


def _with_hevc_codecs(path: Path, result: Probe) -> Probe:
    """Add the RFC 6381 codecs string of an HEVC picture, read from its hvcC record (the extradata)."""
    try:
        info = _ffprobe(
            path,
            "-show_data",
            "-select_streams",
            str(result.video_index),
            "-show_entries",
            "stream=extradata",
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return result
    streams = info.get("streams") or [{}]
    codecs = hevc_codecs(_hexdump_bytes(str(streams[0].get("extradata", "")), limit=13))
    return Probe(**{**result.__dict__, "video_codecs": codecs})


def _hexdump_bytes(dump: str, limit: int) -> bytes:
    """The first ``limit`` bytes of ffprobe's ``-show_data`` dump ("00000000: 0101 6000 ...  ascii")."""
    data = b""
    for line in dump.splitlines():
        _offset, colon, rest = line.partition(": ")
        if not colon:
            continue
        data += bytes.fromhex(rest[:39].replace(" ", ""))
        if len(data) >= limit:
            break
    return data[:limit]


def hevc_codecs(hvcc: bytes) -> str:
    """``hvc1.<profile>.<compatibility>.<tier><level>[.<constraints>]`` from an hvcC record (ISO/IEC
    14496-15 annex E), or "" when ``hvcc`` is not one (an Annex B stream carries no such record).

    The compatibility flags are written bit-reversed in hexadecimal, the constraint bytes one by one
    with trailing zero bytes left out: Main is "hvc1.1.6.L93.B0", Main 10 "hvc1.2.4.L120.B0".
    """
    if len(hvcc) < 13 or hvcc[0] != 1:
        return ""
    space = ("", "A", "B", "C")[hvcc[1] >> 6]
    tier = "H" if hvcc[1] & 0x20 else "L"
    profile = hvcc[1] & 0x1F
    compatibility = int(f"{int.from_bytes(hvcc[2:6], 'big'):032b}"[::-1], 2)
    constraints = list(hvcc[6:12])
    while constraints and constraints[-1] == 0:
        constraints.pop()
    parts = [f"hvc1.{space}{profile}", f"{compatibility:X}", f"{tier}{hvcc[12]}"]
    return ".".join(parts + [f"{byte:X}" for byte in constraints])


def count_video_packets(path: Path) -> int:
    """Frames in the first video stream of a file we wrote, counted from its packets (no decoding)."""
    info = _ffprobe(
        path, "-count_packets", "-select_streams", "v:0", "-show_entries", "stream=nb_read_packets"
    )
    streams = info.get("streams") or [{}]
    return int(streams[0].get("nb_read_packets") or 0)


def _stderr_tail(stderr: bytes | None, limit: int = 2000) -> str:
    return (stderr or b"").decode(errors="replace").strip()[-limit:]


def _float(value: Any) -> float:
    try:
        result = float(value)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


def _aspect(value: Any) -> float:
    if not value or value in ("0:1", "N/A"):
        return 1.0
    num, _, den = str(value).partition(":")
    try:
        return float(num) / float(den) if float(den) else 1.0
    except ValueError:
        return 1.0
