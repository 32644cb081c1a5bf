"""Pure video work around ffprobe and ffmpeg: probe, validate, plan, transcode, cut and join.

No Django here (a test imports this package without it): functions on local paths that raise
``MediaRejected`` with a reason code or ``MediaStalled``. The pipeline (``recordings.pipeline``) wraps
them in storage IO, database updates and Dutch messages.
"""

from recordings.video.copying import StreamCopy, copy_streams, stream_copy_plan
from recordings.video.cutting import clip, concat, still
from recordings.video.encoding import ENCODER, MP4_FLAGS, STRIP_METADATA, EncoderSettings
from recordings.video.planning import Plan, Size, SpritePlan, plan, thumbnails_vtt
from recordings.video.probing import (
    DEMUXERS,
    PROTOCOLS,
    Limits,
    MediaRejected,
    MediaStalled,
    Probe,
    RejectReason,
    count_video_packets,
    hevc_codecs,
    input_options,
    local_url,
    probe,
    validate,
)
from recordings.video.runner import ProgressCallback, available_filters, run
from recordings.video.transcoding import (
    Outputs,
    open_source,
    transcode,
    verify_video,
)

__all__ = [
    "DEMUXERS",
    "ENCODER",
    "MP4_FLAGS",
    "PROTOCOLS",
    "STRIP_METADATA",
    "EncoderSettings",
    "Limits",
    "MediaRejected",
    "MediaStalled",
    "Outputs",
    "Plan",
    "Probe",
    "ProgressCallback",
    "RejectReason",
    "Size",
    "SpritePlan",
    "StreamCopy",
    "available_filters",
    "clip",
    "concat",
    "copy_streams",
    "count_video_packets",
    "hevc_codecs",
    "input_options",
    "local_url",
    "open_source",
    "plan",
    "probe",
    "run",
    "still",
    "stream_copy_plan",
    "thumbnails_vtt",
    "transcode",
    "validate",
    "verify_video",
]
