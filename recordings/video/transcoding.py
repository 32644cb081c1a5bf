"""Making the renditions: one decode feeding every encoded output (the stream copy: ``copying``).

Timeline rule: a position in a recording is measured from the start of the ORIGINAL file (its first
timestamp, ffmpeg's ``start_time``). ffmpeg subtracts that start from every timestamp when it writes a
new file, so renditions keep the same positions; frame timestamps are passed through unchanged
(``-fps_mode passthrough`` with the input's time base) so variable frame rate video does not drift.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from recordings.video.cutting import still
from recordings.video.encoding import ENCODER, MP4_FLAGS, STRIP_METADATA
from recordings.video.planning import Plan, Size, SpritePlan, plan
from recordings.video.probing import (
    PROBE_TIMEOUT_SECONDS,
    Limits,
    MediaRejected,
    Probe,
    RejectReason,
    count_video_packets,
    input_options,
    local_url,
    probe,
)
from recordings.video.runner import GLOBAL_ARGS as _GLOBAL
from recordings.video.runner import ProgressCallback, available_filters, run


@dataclass
class Outputs:
    """Local paths to write; ``None`` skips that output (already made in an earlier run)."""

    high: Path | None = None
    low: Path | None = None
    poster: Path | None = None
    sprite: Path | None = None

    def wanted(self) -> list[str]:
        return [name for name in ("high", "low", "poster", "sprite") if getattr(self, name) is not None]


# --- making the renditions ------------------------------------------------------------------------------


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
    # Our own MP4 states the number of frames its muxer wrote (the sample table): trusted, so a copy of a
    # ten-minute film is not read a second time. Without it, the packets are counted.
    frames = info.frame_count if info.frame_count is not None else count_video_packets(path)
    if info.duration > limits.max_duration_seconds + 0.5 or frames > limits.max_frames:
        raise MediaRejected(RejectReason.OVER_LIMIT, f"{info.duration:.2f}s, {frames} frames")
    tolerance = max(0.5, 0.005 * expected_duration)
    if info.video_index is None or info.duration < expected_duration - tolerance:
        raise MediaRejected(RejectReason.TRUNCATED, f"{info.duration:.2f}s of {expected_duration:.2f}s")
    return Size(info.display_width, info.display_height)
