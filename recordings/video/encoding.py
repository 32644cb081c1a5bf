"""Encoder settings and the output options every file we write shares (no metadata, faststart MP4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EncoderSettings:
    """x264 settings per rendition. Chosen with bench/pipeline.py: SSIM >= 0.97 at a fraction of the CPU."""

    high_preset: str = "veryfast"
    high_crf: int = 22
    # The first minute of a film that is encoded in segments: watchable sooner, at the cost of a larger
    # first minute (about 40 % less CPU than veryfast here, SSIM still above 0.99 on the bench film).
    early_preset: str = "ultrafast"
    low_preset: str = "superfast"
    low_crf: int = 23
    high_audio_bitrate: str = "128k"
    low_audio_bitrate: str = "96k"


ENCODER = EncoderSettings()

# No location, device, creation time or chapter titles in anything we write: phones store the GPS
# position of the family's home in the file.
STRIP_METADATA: dict[str, Any] = {"map_metadata": -1, "map_chapters": -1, "fflags": "+bitexact"}
MP4_FLAGS: dict[str, Any] = {"movflags": "+faststart", "f": "mp4"}
