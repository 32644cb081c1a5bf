"""Sizes and timings of the derived files, and the WebVTT thumbnails track that describes the sprite."""

from __future__ import annotations

import math
from dataclasses import dataclass

from recordings.video.probing import HIGH_LONG_SIDE, HIGH_SHORT_SIDE, Probe

LOW_SHORT_SIDE = 360
THUMB_BOX = 160  # sprite tiles fit in a 160x160 box, aspect kept
SPRITE_COLUMNS = 10
SPRITE_MAX_TILES = 200


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

    Serving the track (``recordings.playback``) replaces ``sprite.jpg`` by the sprite's own signed link.
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
