"""Video helpers around ffprobe and ffmpeg (through ffmpeg-python): probe, validate, transcode, images.

Pure functions on local paths, no Django: the pipeline (``recordings.pipeline``) does the storage IO,
the database updates and the translation of rejection codes into Dutch messages.

Timeline rule: a position in a recording is measured from the start of the ORIGINAL file (its first
timestamp, ffmpeg's ``start_time``). ffmpeg subtracts that start from every timestamp when it writes a
new file, so renditions keep the same positions; frame timestamps are passed through unchanged
(``-fps_mode passthrough`` with the input's time base) so variable frame rate video does not drift.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ffmpeg

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
LOW_SHORT_SIDE = 360
THUMB_BOX = 160  # sprite tiles fit in a 160x160 box, aspect kept
SPRITE_COLUMNS = 10
SPRITE_MAX_TILES = 200
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


@dataclass(frozen=True)
class EncoderSettings:
    """x264 settings per rendition. Chosen with bench/pipeline.py: SSIM >= 0.97 at a fraction of the CPU."""

    high_preset: str = "veryfast"
    high_crf: int = 22
    low_preset: str = "superfast"
    low_crf: int = 23
    high_audio_bitrate: str = "128k"
    low_audio_bitrate: str = "96k"


ENCODER = EncoderSettings()


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
    audio_index: int | None = None
    audio_codec: str = ""
    audio_channels: int = 0
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


@dataclass(frozen=True)
class Size:
    width: int
    height: int


@dataclass(frozen=True)
class SpritePlan:
    interval: float  # seconds of film per tile
    tiles: int
    columns: int
    rows: int
    tile: Size


@dataclass(frozen=True)
class Plan:
    """Sizes and timings of every derived file, computed once from the probe."""

    high: Size
    low: Size
    poster: Size
    poster_at: float
    sprite: SpritePlan
    duration: float


@dataclass
class Outputs:
    """Local paths to write; ``None`` skips that output (already made in an earlier run)."""

    high: Path | None = None
    low: Path | None = None
    poster: Path | None = None
    sprite: Path | None = None

    def wanted(self) -> list[str]:
        return [name for name in ("high", "low", "poster", "sprite") if getattr(self, name) is not None]


ProgressCallback = Callable[[float], None]


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


def can_stream_copy(info: Probe) -> bool:
    """True when browsers play the original's video and audio as they are: the fast path applies."""
    container_ok = "mp4" in info.format_name or "mov" in info.format_name
    video_ok = (
        info.video_codec == "h264"
        and info.video_profile in BROWSER_H264_PROFILES
        and info.pix_fmt in ("yuv420p", "yuvj420p")
        and info.coded_width % 2 == 0
        and info.coded_height % 2 == 0
        and abs(info.sample_aspect - 1.0) < 0.01
    )
    size_ok = (
        min(info.coded_width, info.coded_height) <= HIGH_SHORT_SIDE
        and max(info.coded_width, info.coded_height) <= HIGH_LONG_SIDE
    )
    audio_ok = not info.has_audio or info.audio_codec == "aac"
    plain = info.rotation == 0 and not info.is_hdr and not info.is_interlaced
    return container_ok and video_ok and size_ok and audio_ok and plain


# --- planning -------------------------------------------------------------------------------------------


def plan(info: Probe) -> Plan:
    """Sizes of the renditions (never upscaled, even dimensions) and the poster and sprite timings."""
    width, height = info.display_width, info.display_height
    high = _fit(width, height, HIGH_SHORT_SIDE, HIGH_LONG_SIDE)
    low = _fit(width, height, LOW_SHORT_SIDE, LOW_SHORT_SIDE * 16 // 9)
    tile = _fit(width, height, THUMB_BOX * 9 // 16, THUMB_BOX)
    interval = max(1.0, float(math.ceil(info.duration / SPRITE_MAX_TILES)))
    tiles = max(1, math.ceil(info.duration / interval))
    columns = min(SPRITE_COLUMNS, tiles)
    sprite = SpritePlan(interval, tiles, columns, math.ceil(tiles / columns), tile)
    # Early but past the first frames, which are often dark while a phone's camera adjusts.
    poster_at = min(2.0, info.duration / 3)
    return Plan(high=high, low=low, poster=high, poster_at=poster_at, sprite=sprite, duration=info.duration)


def _fit(width: int, height: int, short_max: int, long_max: int) -> Size:
    short, long = min(width, height), max(width, height)
    scale = min(1.0, short_max / short, long_max / long)
    return Size(_even(width * scale), _even(height * scale))


def _even(value: float) -> int:
    # Down to even (H.264 4:2:0 needs it), never up: that would be upscaling. The epsilon absorbs float
    # error such as 1920 * (360 / 1080) = 639.99999.
    return max(2, math.floor(value / 2.0 + 1e-6) * 2)


def thumbnails_vtt(sprite: SpritePlan, duration: float, sprite_url: str = "sprite.jpg") -> str:
    """A WebVTT thumbnails track: one cue per sprite tile, ``sprite.jpg#xywh=x,y,w,h``.

    The player replaces ``sprite.jpg`` by the sprite rendition's (signed) link.
    """
    lines = ["WEBVTT", ""]
    for index in range(sprite.tiles):
        start = index * sprite.interval
        end = min(duration, start + sprite.interval)
        if end <= start:
            break
        x = (index % sprite.columns) * sprite.tile.width
        y = (index // sprite.columns) * sprite.tile.height
        lines += [
            f"{_vtt_time(start)} --> {_vtt_time(end)}",
            f"{sprite_url}#xywh={x},{y},{sprite.tile.width},{sprite.tile.height}",
            "",
        ]
    return "\n".join(lines)


def _vtt_time(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


# --- making the renditions ------------------------------------------------------------------------------

# No location, device, creation time or chapter titles in anything we write: phones store the GPS
# position of the family's home in the file.
STRIP_METADATA: dict[str, Any] = {"map_metadata": -1, "map_chapters": -1, "fflags": "+bitexact"}
MP4_FLAGS: dict[str, Any] = {"movflags": "+faststart", "f": "mp4"}
_GLOBAL = ("-y", "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats")


def open_source(src: Path, info: Probe, limits: Limits) -> Any:
    """The original as an ffmpeg input: its own demuxer and the local file only, read no further than
    the duration limit allows, and no frame decoded larger than the pixel limit, whatever the header
    said (``verify_video`` then tells a liar from an honest film)."""
    return ffmpeg.input(
        local_url(src),
        **input_options(info.demuxer),
        t=f"{limits.read_seconds:.3f}",
        max_pixels=limits.max_pixels,
    )


def remux(
    src: Path,
    dst: Path,
    info: Probe,
    limits: Limits,
    *,
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    """The fast path: copy the browser-playable streams into a faststart MP4 without metadata."""
    assert info.video_index is not None
    inp = open_source(src, info, limits)
    streams = [inp[str(info.video_index)]]
    if info.audio_index is not None:
        streams.append(inp[str(info.audio_index)])
    options = {"c": "copy", "frames:v": limits.max_frames + 1, **STRIP_METADATA, **MP4_FLAGS}
    out = ffmpeg.output(*streams, str(dst), **options)
    run(out.global_args(*_GLOBAL).compile(), info.duration, on_progress, stall_seconds)


def transcode(
    src: Path,
    info: Probe,
    outputs: Outputs,
    limits: Limits,
    *,
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    """One decode of ``src`` feeds every wanted output: high and low MP4, poster and sprite JPEG."""
    wanted = outputs.wanted()
    if not wanted:
        return
    assert info.video_index is not None
    the_plan = plan(info)
    inp = open_source(src, info, limits)
    # Stop decoding one frame past the frame limit (verify_video counts the frames of the result).
    video = inp[str(info.video_index)].filter("trim", end_frame=limits.max_frames + 1)
    video = _normalised_video(video, info)
    videos = _split(video, "split", len(wanted))
    movies = [name for name in wanted if name in ("high", "low")]
    audios: list[Any] = []
    if info.audio_index is not None and movies:
        # Fill gaps and trim overlaps in the audio so sound stays in sync with the picture.
        audio = inp[str(info.audio_index)].filter("aresample", **{"async": 1})
        audios = _split(audio, "asplit", len(movies))
    nodes = []
    for name, branch in zip(wanted, videos, strict=True):
        path = getattr(outputs, name)
        if name in movies:
            sound = audios[movies.index(name)] if audios else None
            nodes.append(_video_output(name, branch, sound, info, the_plan, path))
        else:
            nodes.append(_image_output(name, branch, the_plan, path))
    command = ffmpeg.merge_outputs(*nodes).global_args(*_GLOBAL).compile()
    run(command, info.duration, on_progress, stall_seconds)
    if outputs.sprite is not None and "sprite" in wanted:
        _join_tiles(outputs.sprite, the_plan.sprite)
    if outputs.poster is not None and not outputs.poster.exists():
        # The picture ended before the poster moment (audio longer than video): take the first frame.
        still(src, at_ms=0, dst=outputs.poster, demuxer=info.demuxer)


def _normalised_video(stream: Any, info: Probe) -> Any:
    """Deinterlace, tone-map HDR to SDR, square pixels, 8-bit 4:2:0. Rotation: ffmpeg autorotates."""
    if info.is_interlaced:
        stream = stream.filter("yadif", deint="interlaced")
    if info.is_hdr:
        stream = _tonemap(stream, info)
    if abs(info.sample_aspect - 1.0) >= 0.01:
        stream = stream.filter("scale", f"iw*{info.sample_aspect:.6f}", "ih").filter("setsar", 1)
    return stream.filter("format", "yuv420p")


def _tonemap(stream: Any, info: Probe) -> Any:
    if "zscale" in available_filters() and "tonemap" in available_filters():
        # Linear light, then Hable's curve, then BT.709: phone HDR (PQ or HLG) looks natural in SDR.
        stream = stream.filter(
            "zscale",
            tin=info.color_transfer,
            min=info.color_space or "bt2020nc",
            pin=info.color_primaries or "bt2020",
            t="linear",
            npl=100,
        )
        stream = stream.filter("format", "gbrpf32le").filter("zscale", p="bt709")
        stream = stream.filter("tonemap", tonemap="hable", desat=0)
        return stream.filter("zscale", t="bt709", m="bt709", r="tv")
    # Without zimg: convert the colours to BT.709 without tone-mapping (a little flat, but upright).
    return stream.filter("colorspace", all="bt709", iall="bt2020", itrc="bt2020-10", format="yuv420p")


def _split(stream: Any, split_filter: str, count: int) -> list[Any]:
    if count == 1:
        return [stream]
    node = stream.filter_multi_output(split_filter, count)
    return [node.stream(number) for number in range(count)]


def _image_output(name: str, branch: Any, the_plan: Plan, path: Path) -> Any:
    if name == "poster":
        picture = branch.filter("select", f"gte(t,{the_plan.poster_at:.3f})")
        picture = picture.filter("scale", the_plan.poster.width, the_plan.poster.height)
        return ffmpeg.output(picture, str(path), vframes=1, **{"q:v": 3}, **STRIP_METADATA, f="image2")
    # The sprite's tiles are written one by one and joined afterwards (_join_tiles): a tile filter here
    # would emit its only frame at the very end, and ffmpeg reports no progress at all until every
    # output has started, so a long film would sit at 0 % until it was done.
    sprite = the_plan.sprite
    tiles = branch.filter("fps", f"1/{sprite.interval:g}")
    tiles = tiles.filter("scale", sprite.tile.width, sprite.tile.height)
    return ffmpeg.output(tiles, str(_tiles_pattern(path)), **{"q:v": 4}, **STRIP_METADATA, f="image2")


def _tiles_pattern(sprite_path: Path) -> Path:
    folder = sprite_path.with_name(sprite_path.stem + "-tiles")
    folder.mkdir(exist_ok=True)
    return folder / "%05d.jpg"


def _join_tiles(sprite_path: Path, sprite: SpritePlan) -> None:
    pattern = _tiles_pattern(sprite_path)
    command = (
        ffmpeg.input(str(pattern), framerate=1)
        .filter("tile", f"{sprite.columns}x{sprite.rows}")
        .output(str(sprite_path), vframes=1, **{"q:v": 4}, **STRIP_METADATA, f="image2")
        .global_args(*_GLOBAL)
        .compile()
    )
    subprocess.run(command, check=True, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS * 4)
    for tile in pattern.parent.iterdir():
        tile.unlink()
    pattern.parent.rmdir()


def _video_output(name: str, branch: Any, sound: Any, info: Probe, the_plan: Plan, path: Path) -> Any:
    size = the_plan.high if name == "high" else the_plan.low
    preset, crf, audio_rate = (
        (ENCODER.high_preset, ENCODER.high_crf, ENCODER.high_audio_bitrate)
        if name == "high"
        else (ENCODER.low_preset, ENCODER.low_crf, ENCODER.low_audio_bitrate)
    )
    picture = branch.filter("scale", size.width, size.height).filter("setsar", 1)
    streams = [picture]
    options: dict[str, Any] = {
        "c:v": "libx264",
        "preset": preset,
        "crf": crf,
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        # Keep every frame at its own timestamp, in the input's time base: no drift with VFR phone video.
        "fps_mode:v": "passthrough",
        "enc_time_base:v": -1,
        **STRIP_METADATA,
        **MP4_FLAGS,
    }
    if info.is_hdr:
        options |= {"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}
    if sound is not None:
        streams.append(sound)
        options |= {"c:a": "aac", "b:a": audio_rate, "ac": min(2, info.audio_channels or 2)}
    return ffmpeg.output(*streams, str(path), **options)


def verify_video(path: Path, expected_duration: float, limits: Limits) -> Size:
    """Size of a rendition we wrote; ``MediaRejected(TRUNCATED)`` when it ends well before the source,
    ``MediaRejected(OVER_LIMIT)`` when decoding found more film than the limits allow.

    ffmpeg exits cleanly on a file cut short (an interrupted copy whose index survived): the only sign
    is a rendition shorter than the duration the index promised. A header can also claim one second
    for a ten-hour film: ffmpeg read at most ``limits.read_seconds`` of it, and what it wrote is
    measured here, not believed.
    """
    info = probe(path)
    frames = count_video_packets(path)
    if info.duration > limits.max_duration_seconds + 0.5 or frames > limits.max_frames:
        raise MediaRejected(RejectReason.OVER_LIMIT, f"{info.duration:.2f}s, {frames} frames")
    tolerance = max(0.5, 0.005 * expected_duration)
    if info.video_index is None or info.duration < expected_duration - tolerance:
        raise MediaRejected(RejectReason.TRUNCATED, f"{info.duration:.2f}s of {expected_duration:.2f}s")
    return Size(info.display_width, info.display_height)


def count_video_packets(path: Path) -> int:
    """Frames in the first video stream of a file we wrote, counted from its packets (no decoding)."""
    info = _ffprobe(
        path, "-count_packets", "-select_streams", "v:0", "-show_entries", "stream=nb_read_packets"
    )
    streams = info.get("streams") or [{}]
    return int(streams[0].get("nb_read_packets") or 0)


# --- stills, clips and reels (annotations) --------------------------------------------------------------


def still(src: Path, *, at_ms: int, dst: Path, stall_seconds: float = 120, demuxer: str = "mov") -> None:
    """The frame shown at ``at_ms`` on the recording's timeline as a JPEG, upright, without metadata.

    Take stills from a rendition (MP4): seeking there is exact, in an MPEG-TS original it is not.
    """
    inp = ffmpeg.input(local_url(src), **input_options(demuxer), ss=f"{at_ms / 1000:.3f}")
    picture = inp["v:0"].filter("format", "yuvj420p")
    out = ffmpeg.output(picture, str(dst), vframes=1, **{"q:v": 3}, **STRIP_METADATA, f="image2")
    run(out.global_args(*_GLOBAL).compile(), 0, lambda _fraction: None, stall_seconds)


def clip(src: Path, *, start_ms: int, end_ms: int, dst: Path, stall_seconds: float = 300) -> None:
    """The part ``start_ms``..``end_ms`` as an H.264/AAC MP4, cut frame-accurately, without metadata."""
    if end_ms <= start_ms:
        raise ValueError("end_ms must be after start_ms")
    info = probe(src)
    inp = ffmpeg.input(
        local_url(src),
        **input_options(info.demuxer),
        ss=f"{start_ms / 1000:.3f}",
        t=f"{(end_ms - start_ms) / 1000:.3f}",
    )
    options: dict[str, Any] = {
        "c:v": "libx264",
        "preset": ENCODER.high_preset,
        "crf": ENCODER.high_crf,
        "pix_fmt": "yuv420p",
        **STRIP_METADATA,
        **MP4_FLAGS,
    }
    streams = [inp["v:0"].filter("scale", "trunc(iw/2)*2", "trunc(ih/2)*2")]
    if info.has_audio:
        streams.append(inp["a:0"])
        options |= {"c:a": "aac", "b:a": ENCODER.high_audio_bitrate}
    out = ffmpeg.output(*streams, str(dst), **options)
    run(out.global_args(*_GLOBAL).compile(), (end_ms - start_ms) / 1000, lambda _f: None, stall_seconds)


def concat(srcs: Sequence[Path], *, dst: Path, stall_seconds: float = 300) -> None:
    """Join clips (from ``clip``) into one MP4 reel, scaled to the first clip's size."""
    if not srcs:
        raise ValueError("nothing to join")
    infos = [probe(path) for path in srcs]
    size = Size(infos[0].display_width, infos[0].display_height)
    with_audio = all(info.has_audio for info in infos)
    parts: list[Any] = []
    for path, info in zip(srcs, infos, strict=True):
        inp = ffmpeg.input(local_url(path), **input_options(info.demuxer))
        video = inp["v:0"].filter("scale", size.width, size.height, force_original_aspect_ratio="decrease")
        parts.append(video.filter("pad", size.width, size.height, -1, -1).filter("setsar", 1))
        if with_audio:
            parts.append(inp["a:0"])
    joined = ffmpeg.concat(*parts, v=1, a=1 if with_audio else 0).node
    streams = [joined[0]] + ([joined[1]] if with_audio else [])
    options: dict[str, Any] = {"c:v": "libx264", "preset": ENCODER.high_preset, "crf": ENCODER.high_crf}
    if with_audio:
        options |= {"c:a": "aac", "b:a": ENCODER.high_audio_bitrate}
    out = ffmpeg.output(*streams, str(dst), pix_fmt="yuv420p", **options, **STRIP_METADATA, **MP4_FLAGS)
    total = sum(info.duration for info in infos)
    run(out.global_args(*_GLOBAL).compile(), total, lambda _f: None, stall_seconds)


# --- running ffmpeg -------------------------------------------------------------------------------------


@dataclass
class _ProgressState:
    last_advance: float = field(default_factory=time.monotonic)
    last_report: float = field(default_factory=time.monotonic)
    out_time: float = -1.0
    fraction: float = 0.0


def run(command: list[str], duration: float, on_progress: ProgressCallback, stall_seconds: float) -> None:
    """Run an ffmpeg command line, report progress (0..1) and kill it after ``stall_seconds`` idle.

    ``on_progress`` gets the fraction done whenever it advances, and the same fraction again at least
    once a second while ffmpeg runs (a heartbeat for the caller's lease). An exception it raises kills
    ffmpeg and propagates.

    stderr goes to an anonymous temporary file, not a pipe, so a chatty ffmpeg can never block on a
    full pipe while we wait for progress lines on stdout.
    """
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        try:
            _follow_progress(process, duration, on_progress, stall_seconds)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            assert process.stdout is not None
            process.stdout.close()
        log.seek(0)
        tail = _stderr_tail(log.read())
    if process.returncode != 0:
        raise MediaRejected(RejectReason.UNREADABLE, tail)


def _follow_progress(
    process: subprocess.Popen[bytes], duration: float, on_progress: ProgressCallback, stall_seconds: float
) -> None:
    assert process.stdout is not None
    state = _ProgressState()
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer = b""
    try:
        while True:
            if selector.select(timeout=1.0):
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    return
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    _progress_line(line.decode(errors="replace").strip(), state, duration, on_progress)
            if time.monotonic() - state.last_advance > stall_seconds:
                process.kill()
                raise MediaStalled(f"no progress for {stall_seconds:.0f}s")
            if time.monotonic() - state.last_report >= 1.0:
                state.last_report = time.monotonic()
                on_progress(state.fraction)
    finally:
        selector.close()


def _progress_line(line: str, state: _ProgressState, duration: float, on_progress: ProgressCallback) -> None:
    key, _, value = line.partition("=")
    # out_time_us and out_time_ms are both microseconds (a historical ffmpeg quirk); use one of them.
    if key != "out_time_us" or not value.lstrip("-").isdigit():
        return
    seconds = int(value) / 1_000_000
    if seconds > state.out_time:
        state.out_time = seconds
        state.last_advance = time.monotonic()
        if duration > 0:
            state.fraction = max(0.0, min(1.0, seconds / duration))
            state.last_report = state.last_advance
            on_progress(state.fraction)


@functools.cache
def available_filters() -> frozenset[str]:
    """Filter names this ffmpeg build has (zscale needs ffmpeg built with zimg)."""
    listing = subprocess.run(
        ["ffmpeg", "-hide_banner", "-filters"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    names = set()
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "->" in parts[2]:
            names.add(parts[1])
    return frozenset(names)


def output_probe(path: Path) -> dict[str, Any]:
    """The raw ffprobe JSON of a file we wrote (tests and sanity checks on renditions)."""
    return _ffprobe(path, "-show_format", "-show_streams")


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


def dumps_probe(info: Probe) -> str:
    """The probe as JSON, for log lines (contains no metadata tags, so nothing personal)."""
    return json.dumps(info.__dict__)
