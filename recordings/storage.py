"""The stored objects of a recording, wherever they are."""

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
