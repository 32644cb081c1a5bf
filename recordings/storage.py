"""The stored objects of a recording, wherever they are."""

from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage

from recordings.models import Recording


def recording_stored_keys(recording: Recording) -> set[str]:
    """Every stored object of the recording: the known keys plus anything under its random folder."""
    keys = {recording.original_key} if recording.original_key else set()
    keys |= {key for key in recording.renditions.values_list("key", flat=True) if key}
    return keys | set(_walk(f"recordings/{recording.storage_prefix}"))


def _walk(folder: str) -> list[str]:
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}" for name in files]
    for directory in directories:
        found += _walk(f"{folder}/{directory}")
    return found


def stored_from_scratch(key: str, path: Path) -> str:
    """Store a finished file of a scratch folder under ``key`` (or a free name like it); returns the key.

    A file-system storage moves the file into place (a rename on the same disk) instead of copying
    it: saving a 0.6 GB copied film took as long as making it. Other storages upload it. Either way
    the scratch file must not be used afterwards.
    """
    with open(path, "rb") as file:
        return default_storage.save(key, _ScratchFile(file, path))


class _ScratchFile(File[bytes]):
    """Offers its path as uploads to disk do: Django's ``FileSystemStorage`` then moves the file."""

    def __init__(self, file: IO[Any], path: Path) -> None:
        super().__init__(file, name=path.name)
        self.path = path

    def temporary_file_path(self) -> str:
        return str(self.path)
