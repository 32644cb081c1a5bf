"""The fast paths: keep the original's picture as it is wherever a browser can play it.

Decoding and encoding a 1080p film costs about a CPU-second per second of film; copying its packets
into a new MP4 costs almost nothing. So a film whose picture browsers play is copied, never encoded:

- H.264 (any display rotation: the MP4 display matrix survives the copy and every current browser
  honours it) becomes the high rendition;
- HEVC, as iPhones record it, becomes an MP4 tagged ``hvc1`` (the tag Safari and Chrome require): the
  "hevc" rendition, offered to browsers that say they decode it, while the H.264 rendition is encoded
  for the others;
- sound other than AAC (AC-3 from camcorders, PCM, Opus, MP2...) is the only part encoded, to AAC.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from recordings.video.encoding import MP4_FLAGS, STRIP_METADATA
from recordings.video.probing import (
    BROWSER_H264_PROFILES,
    HIGH_LONG_SIDE,
    HIGH_SHORT_SIDE,
    Limits,
    Probe,
)
from recordings.video.runner import GLOBAL_ARGS, ProgressCallback, run, run_together
from recordings.video.sound_parts import (
    SoundPart,
    extract_command,
    join_sound_parts,
    mux_command,
    part_command,
    sound_parts,
)
from recordings.video.transcoding import open_source

# Containers whose H.264/HEVC packets ffmpeg moves into MP4 as they are (MPEG-TS: AVCHD camcorders).
COPY_CONTAINERS = ("mov", "mpegts")
H264_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})
HEVC_PROFILES = frozenset({"Main", "Main 10"})
HEVC_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p", "yuv420p10le"})
# The AAC encoder's slower tools (noise substitution, temporal noise shaping, intensity stereo, the
# two-loop search) cost most of its time and matter little for speech in a living room: without them
# a minute of AC-3 sound took 0.9 instead of 2 CPU-seconds here (ffmpeg 5.1, twice each).
FAST_AAC: dict[str, Any] = {
    "c:a": "aac",
    "aac_coder": "fast",
    "aac_pns": 0,
    "aac_tns": 0,
    "aac_is": 0,
    "aac_ms": 0,
}


@dataclass(frozen=True)
class StreamCopy:
    """How the fast path makes a playable film of the original."""

    rendition: str  # "high" (H.264) or "hevc"
    encode_audio: bool  # the sound is not AAC: encode it (the picture is still copied)
    codecs: str = ""  # RFC 6381 codecs of the copied picture, for the player's capability question


def stream_copy_plan(info: Probe) -> StreamCopy | None:
    """The fast path for this film, or ``None`` when its picture must be encoded."""
    if not _copyable_container(info) or not _plain_picture(info):
        return None
    encode_audio = info.has_audio and info.audio_codec != "aac"
    if _browser_h264(info):
        return StreamCopy(rendition="high", encode_audio=encode_audio)
    if _iphone_hevc(info):
        return StreamCopy(rendition="hevc", encode_audio=encode_audio, codecs=info.video_codecs)
    return None


def _copyable_container(info: Probe) -> bool:
    return info.demuxer in COPY_CONTAINERS


def _plain_picture(info: Probe) -> bool:
    """Progressive, square pixels, even sizes, at most 1080p: what the high rendition may be."""
    size_ok = (
        min(info.coded_width, info.coded_height) <= HIGH_SHORT_SIDE
        and max(info.coded_width, info.coded_height) <= HIGH_LONG_SIDE
    )
    return (
        size_ok
        and info.coded_width % 2 == 0
        and info.coded_height % 2 == 0
        and abs(info.sample_aspect - 1.0) < 0.01
        and not info.is_interlaced
    )


def _browser_h264(info: Probe) -> bool:
    # HDR H.264 is rare and no browser tone-maps it: it is encoded (tone-mapped) instead.
    return (
        info.video_codec == "h264"
        and info.video_profile in BROWSER_H264_PROFILES
        and info.pix_fmt in H264_PIXEL_FORMATS
        and not info.is_hdr
    )


def _iphone_hevc(info: Probe) -> bool:
    # HDR is fine here: a browser that decodes HEVC shows the iPhone's HLG or tone-maps it itself.
    # Without an hvcC record (parameter sets only inside the stream) there is no codecs string to ask
    # the browser about and no clean hvc1 file: such a film is encoded.
    return (
        info.video_codec == "hevc"
        and info.video_profile in HEVC_PROFILES
        and info.pix_fmt in HEVC_PIXEL_FORMATS
        and bool(info.video_codecs)
    )


def copy_streams(
    src: Path,
    dst: Path,
    info: Probe,
    copy: StreamCopy,
    limits: Limits,
    *,
    on_progress: ProgressCallback,
    stall_seconds: float,
    cores: int = 1,
) -> None:
    """Copy the picture (and AAC sound) into a faststart MP4 without metadata; encode other sound, on up
    to ``cores`` cores for a long film (``sound_parts``).

    Reads no further than the limits allow (``open_source``; ``frames:v`` stops one frame past the
    frame limit), so ``verify_video`` on the result tells a liar from an honest film. The display
    matrix (rotation) is stream side data, not metadata: ``map_metadata -1`` keeps it.
    """
    assert info.video_index is not None
    picture: dict[str, Any] = {"tag:v": "hvc1"} if copy.rendition == "hevc" else {}
    sound = _sound_encoder(info)
    parts = sound_parts(info, cores) if copy.encode_audio else []
    if len(parts) > 1:
        _copy_with_sound_in_parts(src, dst, info, parts, limits, picture, sound, on_progress, stall_seconds)
        return
    inp = open_source(src, info, limits)
    streams = [inp[str(info.video_index)]]
    options: dict[str, Any] = {
        "c:v": "copy",
        "frames:v": limits.max_frames + 1,
        **picture,
        **STRIP_METADATA,
        **MP4_FLAGS,
    }
    if info.audio_index is not None:
        streams.append(inp[str(info.audio_index)])
        options |= sound if copy.encode_audio else {"c:a": "copy"}
    out = ffmpeg.output(*streams, str(dst), **options)
    run(out.global_args(*GLOBAL_ARGS).compile(), info.duration, on_progress, stall_seconds)


def _sound_encoder(info: Probe) -> dict[str, Any]:
    """AAC at 64 kbit/s per channel, mono staying mono: ten minutes of mono AC-3 took 2.9 s so, 5.7 s
    upmixed to stereo at 128 kbit/s and 10.5 s as mono at 128 kbit/s (one run each)."""
    channels = min(2, info.audio_channels or 2)
    return {**FAST_AAC, "ac": channels, "b:a": f"{64 * channels}k"}


def _copy_with_sound_in_parts(
    src: Path,
    dst: Path,
    info: Probe,
    parts: list[SoundPart],
    limits: Limits,
    picture: dict[str, Any],
    sound: dict[str, Any],
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    extracted = dst.with_name(f"{dst.stem}-sound.mka")
    encoded = [dst.with_name(f"{dst.stem}-sound-{index}.aac") for index in range(len(parts))]
    joined = dst.with_name(f"{dst.stem}-sound.aac")
    try:
        run(
            extract_command(src, info, extracted, limits),
            info.duration,
            _scaled(on_progress, 0.0, 0.1),
            stall_seconds,
        )
        commands = [
            part_command(extracted, part, path, sound) for part, path in zip(parts, encoded, strict=True)
        ]
        run_together(commands, info.duration / len(parts), _scaled(on_progress, 0.1, 0.8), stall_seconds)
        join_sound_parts(parts, encoded, joined)
        command = mux_command(src, info, joined, dst, limits, picture)
        run(command, info.duration, _scaled(on_progress, 0.8, 1.0), stall_seconds)
    finally:
        for path in [extracted, *encoded, joined]:
            path.unlink(missing_ok=True)


def _scaled(on_progress: ProgressCallback, low: float, high: float) -> ProgressCallback:
    return lambda fraction: on_progress(low + (high - low) * fraction)
