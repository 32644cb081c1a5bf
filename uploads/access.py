"""Fetch uploads on behalf of a user: through the recording they belong to, under the central rules."""

from __future__ import annotations

import uuid

from django.http import Http404

from audit.refusals import logs_refusals
from organisations.models import User
from organisations.rules import Action
from recordings.access import recording_for_user
from uploads.models import Upload


@logs_refusals(
    "upload",
    Upload,
    organisation="recording__family__organisation_id",
    family="recording__family__code",
    recording="recording_id",
)
def upload_for_user(user: User, upload_id: uuid.UUID | str, action: Action) -> Upload:
    """The upload ``upload_id`` if ``user`` may do ``action`` with its recording; Http404 / PermissionDenied.

    An upload is as private as its recording: outsiders get 404, too few rights 403 (from
    ``recording_for_user``, which also enforces the certificate rule for practice recordings).
    """
    try:
        pk = uuid.UUID(str(upload_id))
    except ValueError:
        raise Http404 from None
    upload = Upload.objects.filter(pk=pk).first()
    if upload is None:
        raise Http404
    upload.recording = recording_for_user(user, upload.recording_id, action)
    return upload
