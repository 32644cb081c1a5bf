from django.core.management import call_command


def test_openapi_schema_generates_without_warnings_and_validates(db, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    text = target.read_text()
    for path in [
        "/api/recordings/",
        "/api/recordings/{id}/annotations/",
        "/api/enrolments/",
        "/api/certifications/",
    ]:
        assert f"{path}:" in text
