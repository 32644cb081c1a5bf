"""Encoding one segment of a film, the film's sound, and joining the segments without re-encoding.

One segment = one decode of its part of the original feeding the H.264 high part (a self-contained
fragmented MP4 a browser can play on its own), the low part and the sprite tiles of its stretch.

Timestamps: every output keeps the positions of the original (its timestamps minus the file's start
time, the timeline rule of ``transcoding``). ffmpeg runs with ``-copyts`` so nothing is shifted to
zero, the cut is made by ``trim`` on the original's own video timestamps (exact: a frame is in a
segment or it is not) and the MP4 muxer writes those timestamps as they are (no edit list, the decode
time of the first fragment is that of its first frame). So a moment in a segment is the same moment in
the joined film, and annotation times never move.

Sound: AAC starts every encode with 1024 samples of encoder priming, so sound encoded per segment and
joined would have a tiny gap or click at every boundary. The segments carry their own sound for
watching while the film is encoded (a player appending them hears at most that click); the final
renditions take their sound from one encode of the whole film (``encode_sound``, which runs next to the
segments), muxed in at the join. That costs one extra decode of the sound only, a few CPU seconds for
an hour.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from recordings.video.encoding import ENCODER, MP4_FLAGS, STRIP_METADATA
from recordings.video.planning import Plan, SpritePlan, plan
from recordings.video.probing import Limits, Probe, input_options, local_url
from recordings.video.runner import GLOBAL_ARGS as _GLOBAL
from recordings.video.runner import ProgressCallback, run
from recordings.video.segmenting import Span, tiles_of
from recordings.video.transcoding import _join_tiles, _normalised_video, _split

# What a browser needs to know before it fetches a segment (MediaSource.isTypeSupported): H.264 High
# profile level 4.0 (up to 1080p30; x264 marks lower levels for smaller pictures, which 4.0 covers)
# and AAC-LC.
SEGMENT_CODECS = 'video/mp4; codecs="avc1.640028, mp4a.40.2"'
# Containers with an index of keyframes: a seek lands exactly on the keyframe asked for.
EXACT_SEEK_DEMUXERS = frozenset({"mov", "matroska"})
# Fragmented MP4 that starts with its own init segment (playable alone, appendable to MediaSource),
# timestamps written as they come: no edit list, the first fragment's decode time is the real one.
FRAGMENTED_MP4: dict[str, Any] = {
    "movflags": "+frag_keyframe+empty_moov+default_base_moof+frag_discont",
    "use_editlist": 0,
    "avoid_negative_ts": "disabled",
    "f": "mp4",
}


@dataclass(frozen=True)
class SegmentOutputs:
    high: Path  # fragmented MP4, picture and sound
    low: Path  # fragmented MP4, picture only (its sound comes from ``encode_sound`` at the join)
    tiles: Path  # a folder: one JPEG per sprite tile, named by the tile's number in the whole sprite


@dataclass(frozen=True)
class SoundOutputs:
    high: Path
    low: Path


def encode_segment(
    src: Path,
    info: Probe,
    span: Span,
    outputs: SegmentOutputs,
    limits: Limits,
    *,
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    """Decode ``span`` of ``src`` once into its high part, low part and sprite tiles."""
    assert info.video_index is not None
    the_plan = plan(info)
    inp = _open_at(src, info, span, limits)
    picture = inp[str(info.video_index)].filter("trim", **_cut(span))
    # Past the frame limit the segment stops (the pipeline adds up the frames of all segments).
    picture = picture.filter("trim", end_frame=limits.max_frames + 1)
    picture = picture.filter("setpts", f"PTS-{info.start_time:.6f}/TB")
    high_branch, low_branch, tiles_branch = _split(_normalised_video(picture, info), "split", 3)
    sound = None
    if info.audio_index is not None:
        sound = inp[str(info.audio_index)].filter("atrim", **_sound_cut(span))
        sound = sound.filter("asetpts", f"PTS-{info.start_time:.6f}/TB")
    nodes = [
        _part(high_branch, sound, info, the_plan, outputs.high, high=True, span=span),
        _part(low_branch, None, info, the_plan, outputs.low, high=False, span=span),
        _tiles(tiles_branch, span, the_plan.sprite, outputs.tiles),
    ]
    command = ffmpeg.merge_outputs(*nodes).global_args(*_GLOBAL, "-copyts").compile()
    run(command, span.end - span.start, _from_start(span, on_progress), stall_seconds)


def _open_at(src: Path, info: Probe, span: Span, limits: Limits) -> Any:
    # -ss seeks to the last keyframe at or before its position: half a millisecond past the boundary
    # lands on the boundary's keyframe whatever the rounding, and no frame can be that close to it.
    # -noaccurate_seek: ffmpeg drops nothing itself, ``trim`` makes the exact cut.
    # In MPEG-TS and MPEG-PS seeking goes by byte position and may land late: seek a little earlier.
    margin = 0.0005 if info.demuxer in EXACT_SEEK_DEMUXERS else -2.0
    seek: dict[str, Any] = (
        {"ss": f"{max(0.0, span.start + margin):.4f}", "noaccurate_seek": None} if span.index else {}
    )
    return ffmpeg.input(
        local_url(src),
        **input_options(info.demuxer),
        **seek,
        t=f"{limits.read_seconds:.3f}",
        max_pixels=limits.max_pixels,
    )


def _cut(span: Span) -> dict[str, int]:
    cut = {}
    if span.start_pts is not None:
        cut["start_pts"] = span.start_pts
    if span.end_pts is not None:
        cut["end_pts"] = span.end_pts
    return cut


def _sound_cut(span: Span) -> dict[str, str]:
    """The sound of the segment's stretch, cut on the original's timestamps in seconds."""
    num, den = (int(part) for part in span.time_base.split("/"))
    cut = {}
    if span.start_pts is not None:
        cut["start"] = f"{span.start_pts * num / den:.6f}"
    if span.end_pts is not None:
        cut["end"] = f"{span.end_pts * num / den:.6f}"
    return cut


def _from_start(span: Span, on_progress: ProgressCallback) -> ProgressCallback:
    # ffmpeg's out_time counts from zero even with -copyts here; clamp so a fraction stays in 0..1.
    return lambda fraction: on_progress(max(0.0, min(1.0, fraction)))


def _timescale(span: Span) -> int:
    # The MP4 track counts in the original's own time base, so every frame keeps its exact timestamp
    # (the muxer's default, a multiple of the frame rate, would round them).
    num, den = (int(part) for part in span.time_base.split("/"))
    return den if num == 1 else 90000


def _preset(span: Span, *, high: bool) -> str:
    if not high:
        return ENCODER.low_preset
    return ENCODER.early_preset if span.early else ENCODER.high_preset


def _part(branch: Any, sound: Any, info: Probe, the_plan: Plan, path: Path, *, high: bool, span: Span) -> Any:
    size = the_plan.high if high else the_plan.low
    picture = branch.filter("scale", size.width, size.height).filter("setsar", 1)
    options: dict[str, Any] = {
        "c:v": "libx264",
        "preset": _preset(span, high=high),
        "crf": ENCODER.high_crf if high else ENCODER.low_crf,
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        "fps_mode:v": "passthrough",
        # The original's time base, given explicitly: "-1" (the input's) falls back to 1/frame rate in a
        # filter graph with several inputs, which moves every frame of a variable-rate film.
        "enc_time_base:v": span.time_base,
        **STRIP_METADATA,
        **FRAGMENTED_MP4,
        "video_track_timescale": _timescale(span),
    }
    if info.is_hdr:
        options |= {"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}
    streams = [picture]
    if sound is not None:
        streams.append(sound)
        options |= {"c:a": "aac", "b:a": ENCODER.high_audio_bitrate, "ac": min(2, info.audio_channels or 2)}
    return ffmpeg.output(*streams, str(path), **options)


def _tiles(branch: Any, span: Span, sprite: SpritePlan, folder: Path) -> Any:
    folder.mkdir(exist_ok=True)
    numbers = tiles_of(span, sprite.interval, sprite.tiles)
    # start_time: the first tile of the segment is the frame shown at its moment, even when the first
    # frame comes a little later (the first segment; a film whose sound starts before its picture).
    tiles = branch.filter("fps", fps=f"1/{sprite.interval:g}", round="up", start_time=f"{span.start:.6f}")
    tiles = tiles.filter("scale", sprite.tile.width, sprite.tile.height)
    return ffmpeg.output(
        tiles,
        str(folder / "%05d.jpg"),
        start_number=numbers.start,
        **{"frames:v": max(1, len(numbers)), "q:v": 4},
        **STRIP_METADATA,
        f="image2",
    )


def encode_sound(
    src: Path,
    info: Probe,
    outputs: SoundOutputs,
    limits: Limits,
    *,
    on_progress: ProgressCallback,
    stall_seconds: float,
) -> None:
    """The whole film's sound, once, for the high and low renditions (AAC in MP4, positions kept)."""
    assert info.audio_index is not None
    inp = ffmpeg.input(local_url(src), **input_options(info.demuxer), t=f"{limits.read_seconds:.3f}")
    # Fill gaps and trim overlaps so sound stays in sync with the picture, as in ``transcode``.
    low_sound, high_sound = _split(
        inp[str(info.audio_index)].filter("aresample", **{"async": 1}), "asplit", 2
    )
    channels = min(2, info.audio_channels or 2)
    nodes = [
        ffmpeg.output(
            stream, str(path), **{"c:a": "aac", "b:a": rate, "ac": channels}, **STRIP_METADATA, **MP4_FLAGS
        )
        for stream, path, rate in (
            (high_sound, outputs.high, ENCODER.high_audio_bitrate),
            (low_sound, outputs.low, ENCODER.low_audio_bitrate),
        )
    ]
    command = ffmpeg.merge_outputs(*nodes).global_args(*_GLOBAL).compile()
    run(command, info.duration, on_progress, stall_seconds)


# --- joining --------------------------------------------------------------------------------------------


def join_parts(
    parts: Sequence[Path], spans: Sequence[Span], sound: Path | None, dst: Path, *, stall_seconds: float
) -> None:
    """The parts' pictures one after another and ``sound`` into one faststart MP4, copied, not encoded.

    The concat list gives each part its stretch (inpoint..outpoint = the span's positions): the concat
    demuxer then shifts no timestamp at all, and drops nothing that belongs to the part.
    """
    listing = dst.with_suffix(".txt")
    lines = ["ffconcat version 1.0"]
    for part, span in zip(parts, spans, strict=True):
        if part.parent != dst.parent:
            raise ValueError("parts must sit next to the joined file")
        lines += [f"file {part.name}", f"inpoint {span.start:.6f}"]
        if span.end_pts is not None:
            lines.append(f"outpoint {span.end:.6f}")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Our own list of our own files, relative names in one folder: the concat demuxer's "safe" mode.
    command = [
        "ffmpeg", *_GLOBAL, "-copyts", "-f", "concat", "-safe", "1", "-protocol_whitelist", "file",
        "-i", str(listing),
    ]  # fmt: skip
    maps = ["-map", "0:v:0"]
    if sound is not None:
        command += ["-f", "mp4", "-protocol_whitelist", "file", "-i", local_url(sound)]
        maps += ["-map", "1:a:0"]
    command += [*maps, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact"]
    command += ["-movflags", "+faststart", "-f", "mp4", str(dst)]
    total = spans[-1].end if spans else 0.0
    run(command, total, lambda _fraction: None, stall_seconds)
    listing.unlink()


def join_tiles(folders: Sequence[Path], sprite_path: Path, sprite: SpritePlan) -> None:
    """The sprite from the tiles of every segment; a tile a segment could not make repeats the one
    before it (a stretch without a single frame), so the sprite always matches its WebVTT track."""
    pattern_folder = sprite_path.with_name(sprite_path.stem + "-tiles")
    pattern_folder.mkdir(exist_ok=True)
    found = {tile.name: tile for folder in folders for tile in folder.glob("*.jpg")}
    previous: Path | None = None
    for number in range(sprite.tiles):
        name = f"{number:05d}.jpg"
        tile = found.get(name) or previous or next(iter(sorted(found.values())), None)
        if tile is None:
            raise FileNotFoundError("no sprite tiles")
        shutil.copyfile(tile, pattern_folder / f"{number + 1:05d}.jpg")
        previous = tile
    _join_tiles(sprite_path, sprite)
