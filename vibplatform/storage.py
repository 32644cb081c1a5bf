"""Which kind of private storage is configured (see STORAGES in settings)."""

from django.core.files.storage import storages
from storages.backends.s3 import S3Storage


def storage_is_s3() -> bool:
    """True when files live in an S3 bucket (presigned links, multipart uploads), not on local disk."""
    return isinstance(storages["default"], S3Storage)
