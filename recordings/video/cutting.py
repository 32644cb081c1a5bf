"""Stills, clips and reels cut from a rendition (for annotations and review conversations)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ffmpeg

from recordings.video.encoding import ENCODER, MP4_FLAGS, STRIP_METADATA
from recordings.video.planning import Size
from recordings.video.probing import input_options, local_url, probe
from recordings.video.runner import GLOBAL_ARGS as _GLOBAL
from recordings.video.runner import run

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
