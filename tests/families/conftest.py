import pytest

from organisations.models import User
from tests.annotations.conftest import category, vib_categories  # noqa: F401
from tests.dmop.conftest import certified_professional, trainer  # noqa: F401
from tests.recordings.conftest import enrol_on_vib, make_recording, recording, stored_recording  # noqa: F401
from tests.s3_server import s3_server, s3_storage  # noqa: F401


@pytest.fixture
def professional(professional: User) -> User:
    """The persona, enrolled on VIB: the VIB gate lets only enrolled professionals make training films."""
    enrol_on_vib(professional)
    return professional
