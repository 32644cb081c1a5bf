import pytest
from django.urls import reverse

from annotations.exports import vtt_escape
from audit.models import AccessLogEntry


def _url(recording, ext: str) -> str:
    return reverse(f"api-annotations-{ext}", args=[recording.pk])


def test_the_webvtt_export_is_a_valid_track_with_escaped_text(
    client_for, professional, supervisor, recording, make_annotation
):
    make_annotation(recording, professional, start_ms=1000, text="Kind <wijst> & lacht\n\n--> blij")
    make_annotation(recording, supervisor, start_ms=5000, end_ms=8000, kind="feedback", text="Mooi")
    make_annotation(recording, supervisor, start_ms=9000, kind="feedback", text="geheim", visibility="draft")

    response = client_for(professional).get(_url(recording, "vtt"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    body = response.content.decode()
    assert body.startswith("WEBVTT\n\n")
    assert (
        "00:00:01.000 --> 00:00:04.000\n[Eigen analyse] Initiatief nemen: Kind &lt;wijst&gt; &amp; lacht\n--&gt; blij\n"
        in body
    )
    assert "00:00:05.000 --> 00:00:08.000\n[Feedback van de supervisor] Initiatief nemen: Mooi" in body
    assert "geheim" not in body
    # Every cue is separated by exactly one blank line: no blank line inside a cue.
    cues = body.strip().split("\n\n")[1:]
    assert len(cues) == 2 and all(len(cue.split("\n")) >= 3 for cue in cues)


def test_vtt_escaping_removes_blank_lines_and_markup():
    assert vtt_escape("a\r\n\r\n<b>b</b>") == "a\n&lt;b&gt;b&lt;/b&gt;"


def test_the_csv_export_opens_in_excel_and_cannot_run_formulas(
    client_for, professional, recording, make_annotation
):
    make_annotation(recording, professional, start_ms=61_500 - 1500, text='=HYPERLINK("http://x")')

    response = client_for(professional).get(_url(recording, "csv"))

    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffId;Begin;Einde;")
    assert "\r\n" in body
    assert "1:00.000" in body
    assert "'=HYPERLINK" in body


def test_each_export_is_written_to_the_access_log(client_for, professional, recording):
    client_for(professional).get(_url(recording, "csv"))

    entry = AccessLogEntry.objects.get(action_code="E", object_type="annotations")
    assert entry.object_id == str(recording.pk)


@pytest.mark.parametrize("ext", ["vtt", "csv"])
def test_outsiders_get_404_and_coordinators_403(client_for, colleague, coordinator, recording, ext):
    assert client_for(colleague).get(_url(recording, ext)).status_code == 404
    assert client_for(coordinator).get(_url(recording, ext)).status_code == 403


def test_anonymous_callers_cannot_export(client_for, recording):
    assert client_for(None).get(_url(recording, "vtt")).status_code in (401, 403)


def test_posting_to_an_export_is_not_allowed(client_for, professional, recording):
    assert client_for(professional).post(_url(recording, "csv")).status_code == 405
