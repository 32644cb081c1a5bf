"""Export one recording's files for a parent's data-subject access request (AVG art. 15)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage

from audit.outcome import ActionCode, Decision, Outcome
from audit.services import recording_access_log
from organisations.models import User
from recordings import video
from recordings.models import Recording, Rendition

RENDITION_FILENAMES = {
    Rendition.Kind.HIGH: "high.mp4",
    Rendition.Kind.LOW: "low.mp4",
    Rendition.Kind.POSTER: "poster.jpg",
    Rendition.Kind.SPRITE: "sprite.jpg",
    Rendition.Kind.THUMBNAILS_VTT: "thumbnails.vtt",
}
# ffprobe's container family (first name of format_name) and the extensions that belong to it; the first
# is used when the uploaded file's own extension is unknown.
_FAMILY_EXTENSIONS = {
    "mov": ("mp4", "mov", "m4v", "3gp", "3g2"),
    "matroska": ("mkv", "webm"),
    "avi": ("avi",),
    "mpegts": ("mts", "m2ts", "ts"),
    "mpeg": ("mpg", "mpeg"),
    "mjpeg": ("mjpeg",),
    "asf": ("wmv",),
    "ogg": ("ogv",),
    "flv": ("flv",),
}


class ExportError(Exception):
    pass


@dataclass
class Exported:
    recording: Recording
    files: list[Path]


def _copy(key: str, destination: Path) -> None:
    with default_storage.open(key, "rb") as source, destination.open("wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def original_extension(path: Path, key: str) -> str:
    """The container's extension as ffprobe sees it (the upload's name may lie or be missing); else bin."""
    try:
        family = video.probe(path).format_name.split(",")[0]
    except Exception:  # unreadable, truncated, not a video: still the parent's data, exported as bytes
        return "bin"
    extensions = _FAMILY_EXTENSIONS.get(family, ())
    uploaded = key.rpartition(".")[2].lower()
    if uploaded in extensions:
        return uploaded
    return extensions[0] if extensions else "bin"


def _export_original(recording: Recording, folder: Path) -> Path | None:
    if not recording.original_key or not default_storage.exists(recording.original_key):
        return None
    staging = folder / "original.part"
    _copy(recording.original_key, staging)
    target = folder / f"original.{original_extension(staging, recording.original_key)}"
    staging.rename(target)
    return target


def recording_export(*, recording: Recording, folder: Path, by: User | None = None) -> Exported:
    """Write the original and every finished rendition into ``folder``; one access-log line (E)."""
    if recording.is_deleted:
        raise ExportError("The recording was deleted; there is nothing to export.")
    folder.mkdir(parents=True, exist_ok=True)
    clashes = [name for name in [*RENDITION_FILENAMES.values(), "original.*"] if list(folder.glob(name))]
    if clashes:
        raise ExportError(f"{folder} already holds {', '.join(clashes)}; choose an empty folder.")
    files = [path for path in [_export_original(recording, folder)] if path is not None]
    for rendition in recording.renditions.filter(status=Rendition.Status.DONE).exclude(key=""):
        target = folder / RENDITION_FILENAMES[Rendition.Kind(rendition.kind)]
        _copy(rendition.key, target)
        files.append(target)
    recording_access_log(
        request=None,
        user=by,
        action=ActionCode.EXECUTE,
        recording=recording,
        responsible_user=by,
        outcome=Outcome(
            decision=Decision.GRANTED,
            relation="operator",
            consent=recording.consent_state(),
            grounds="data-subject access request",
            details={"files": [path.name for path in files]},
        ),
    )
    return Exported(recording=recording, files=files)
