from tests.annotations.conftest import category, vib_categories  # noqa: F401
from tests.dmop.conftest import certified_professional, trainer  # noqa: F401
from tests.recordings.conftest import make_recording, recording, stored_recording  # noqa: F401
from tests.s3_server import s3_server, s3_storage  # noqa: F401
