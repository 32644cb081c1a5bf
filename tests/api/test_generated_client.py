"""A client generated from the live schema (openapi-python-client) understands a refusal.

Such a client raises ``UnexpectedStatus`` for any status code the schema does not declare; declared, a 403
comes back as the documented error model, with the server's message in it.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import api_token_for

PACKAGE = "vib_api_client"


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    config = tmp_path / "config.yaml"
    # The live server builds the schema on request; on a busy machine that takes longer than the default 5 s.
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\nhttp_timeout: 120\n")
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [str(generator), "generate", "--url", f"{live_server.url}/api/schema/", "--config", str(config)]
        + ["--meta", "none", "--fail-on-warning", "--output-path", str(tmp_path / PACKAGE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.mark.slow
def test_a_403_reaches_the_generated_client_as_its_error_model(generated_client, live_server, professional):
    # The professional is still in DMOP training: the DMOP instrument refuses them (403, not 404).
    families_list = importlib.import_module(f"{PACKAGE}.api.dmop.dmop_families_list")
    error_model = importlib.import_module(f"{PACKAGE}.models.error").Error
    client = generated_client.AuthenticatedClient(
        base_url=live_server.url,
        token=api_token_for(professional),
        prefix="Token",
        raise_on_unexpected_status=True,
    )

    response = families_list.sync_detailed(client=client)

    assert response.status_code == 403
    assert isinstance(response.parsed, error_model)
    assert response.parsed.detail
