"""Positions in a recording, written for people and for WebVTT. Milliseconds throughout."""


def format_ms(ms: int) -> str:
    """ "1:02:03.450" or "2:03.450": the notation the player shows."""
    hours, rest = divmod(max(0, ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{minutes}:{seconds:02d}.{millis:03d}"


def vtt_timestamp(ms: int) -> str:
    """WebVTT's "hh:mm:ss.ttt" (hours always written, so every cue parses the same way)."""
    hours, rest = divmod(max(0, ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
