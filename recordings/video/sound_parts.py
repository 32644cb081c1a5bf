"""Encoding a long film's sound on every core: in parts side by side, joined into one AAC track.

ffmpeg's AAC encoder uses one core and takes about 5 s for ten minutes of stereo sound here, most of
the time a camcorder film (H.264 picture, AC-3 sound) needs to become playable. So the sound is cut
into parts, each part encoded by its own ffmpeg at the same time, and the parts' AAC frames joined.

AAC frames are 1024 samples and overlap: decoding frame ``m`` of an encode gives the samples
``(m - 1) * 1024 .. m * 1024`` of its input (the first frame is the encoder's priming, which the MP4's
edit list skips). So every boundary between parts is a multiple of 1024 samples; a part's encode starts
``PREROLL`` samples before its boundary and runs ``PREROLL`` past its end, and of each part only the
frames that decode to its own stretch are kept. Around a boundary both encodes saw the same sound, so
the joined track decodes to the same samples as one encode, except for quantisation noise within
one frame (21 ms) of each boundary. The picture is copied from the original into the same MP4 with the
joined sound; the timestamps of both are the original's (``-copyts``), minus the file's start, as
when one ffmpeg does it all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from recordings.video.encoding import MP4_FLAGS, STRIP_METADATA
from recordings.video.probing import Limits, Probe, input_options, local_url
from recordings.video.runner import GLOBAL_ARGS

FRAME = 1024  # samples per AAC frame
PREROLL = 2 * FRAME
# Below this a part costs more in start-up than it saves.
MIN_PART_SECONDS = 60.0
# MPEG-TS timestamps wrap after 2**33 ticks of 90 kHz; with -copyts a film across the wrap would break.
WRAP_SECONDS = 2**33 / 90_000


@dataclass(frozen=True)
class SoundPart:
    """Samples ``start`` (inclusive) to ``end`` (exclusive, None: to the end) of the film's sound."""

    start: int
    end: int | None

    @property
    def encode_from(self) -> int:
        return max(0, self.start - PREROLL)

    @property
    def encode_to(self) -> int | None:
        return None if self.end is None else self.end + PREROLL

    def kept(self, frames: int) -> range:
        """The frames of this part's encode that decode to its own stretch (the priming frame too, for
        the first part: the edit list skips it)."""
        first = 0 if self.start == 0 else (self.start - self.encode_from) // FRAME + 1
        last = frames - 1 if self.end is None else (self.end - self.encode_from) // FRAME
        return range(first, min(last, frames - 1) + 1)


def sound_parts(info: Probe, cores: int) -> list[SoundPart]:
    """How to cut the sound: one part per core, each at least ``MIN_PART_SECONDS`` long; one part (no
    cutting) when the film is short, or when its stream timestamps cannot be trusted for ``-copyts``."""
    count = min(cores, int(info.duration // MIN_PART_SECONDS))
    timestamps_usable = (
        info.audio_sample_rate > 0
        and info.start_time >= 0
        and info.audio_start >= info.start_time
        and info.video_start >= info.start_time
        and info.start_time + info.duration < WRAP_SECONDS
    )
    if count < 2 or not timestamps_usable:
        return [SoundPart(0, None)]
    samples = info.duration * info.audio_sample_rate
    bounds = [round(samples * k / count / FRAME) * FRAME for k in range(1, count)]
    starts = [0, *bounds]
    return [SoundPart(start, end) for start, end in zip(starts, [*bounds, None], strict=True)]


def extract_command(src: Path, info: Probe, dst: Path, limits: Limits) -> list[str]:
    """The sound stream alone, copied into Matroska with its timestamps: the parts read this small file
    instead of each demuxing the whole film (0.6 GB for ten minutes of 1080p)."""
    assert info.audio_index is not None
    inp = ffmpeg.input(local_url(src), **input_options(info.demuxer), t=f"{limits.read_seconds:.3f}")
    out = ffmpeg.output(inp[str(info.audio_index)], str(dst), c="copy", f="matroska", **STRIP_METADATA)
    return list(out.global_args(*GLOBAL_ARGS).compile())


def part_command(sound: Path, part: SoundPart, dst: Path, encoder: dict[str, Any]) -> list[str]:
    """ffmpeg for one part of the extracted ``sound``: its stretch (sample positions counted from the
    first sample, gaps filled as in every other encode) into raw AAC frames (ADTS)."""
    inp = ffmpeg.input(local_url(sound), **input_options("matroska"))
    trim = {"start_sample": part.encode_from}
    if part.encode_to is not None:
        trim["end_sample"] = part.encode_to
    stretch = (
        inp["a:0"].filter("aresample", **{"async": 1}).filter("asetpts", "N/SR/TB").filter("atrim", **trim)
    )
    out = ffmpeg.output(stretch, str(dst), **encoder, **STRIP_METADATA, f="adts")
    return list(out.global_args(*GLOBAL_ARGS).compile())


def adts_frames(data: bytes) -> Iterator[bytes]:
    """The frames of an ADTS stream (each starts with a 7- or 9-byte header carrying its length)."""
    offset = 0
    while offset < len(data):
        header = data[offset : offset + 7]
        if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF0 != 0xF0:
            raise ValueError(f"no ADTS frame at byte {offset}")
        length = ((header[3] & 0x03) << 11) | (header[4] << 3) | (header[5] >> 5)
        if length < 7:
            raise ValueError(f"ADTS frame of {length} bytes at byte {offset}")
        yield data[offset : offset + length]
        offset += length


def join_sound_parts(parts: list[SoundPart], encoded: list[Path], dst: Path) -> None:
    """The kept frames of every part's encode, in order, into one ADTS file."""
    with open(dst, "wb") as joined:
        for part, path in zip(parts, encoded, strict=True):
            frames = list(adts_frames(path.read_bytes()))
            for index in part.kept(len(frames)):
                joined.write(frames[index])


def mux_command(
    src: Path, info: Probe, sound: Path, dst: Path, limits: Limits, picture: dict[str, Any]
) -> list[str]:
    """The original's picture (copied, ``picture`` adds options such as the hvc1 tag) and the joined
    sound into a faststart MP4. With ``-copyts`` both keep the original's timestamps: the sound's first
    (priming) frame one frame before the sound's first sample; ``output_ts_offset`` then takes the
    file's start away, as ffmpeg does without ``-copyts``."""
    assert info.video_index is not None
    film = ffmpeg.input(local_url(src), **input_options(info.demuxer), t=f"{limits.read_seconds:.3f}")
    priming = FRAME / info.audio_sample_rate
    joined = ffmpeg.input(
        local_url(sound), f="aac", protocol_whitelist="file", itsoffset=f"{info.audio_start - priming:.6f}"
    )
    out = ffmpeg.output(
        film[str(info.video_index)],
        joined["a:0"],
        str(dst),
        **{"c": "copy", "frames:v": limits.max_frames + 1, "output_ts_offset": f"{-info.start_time:.6f}"},
        **picture,
        **STRIP_METADATA,
        **MP4_FLAGS,
    )
    return list(out.global_args(*GLOBAL_ARGS, "-copyts").compile())
