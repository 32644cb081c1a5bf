from tests.recordings.conftest import make_recording, recording, stored_recording  # noqa: F401
from tests.s3_server import s3_server, s3_storage  # noqa: F401
