"""The access helpers every annotation view goes through."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from annotations.access import (
    AnnotationAction,
    annotation_for_user,
    may_review_cycle,
    review_media_for_user,
    workspace_for_user,
    writable_workspace_for_user,
)
from organisations.rules import Relation
from tests.conftest import grant_video


@pytest.fixture
def administrator_with_grant(administrator):
    grant_video(administrator)
    return administrator


def test_the_owner_and_the_assigned_supervisor_may_write(professional, supervisor, recording):
    assert writable_workspace_for_user(professional, recording.pk).kinds == ("analysis", "question")
    assert writable_workspace_for_user(supervisor, recording.pk).kinds == ("feedback", "question")


def test_an_administrator_with_a_video_grant_may_watch_but_not_write(administrator_with_grant, recording):
    workspace = workspace_for_user(administrator_with_grant, recording.pk)

    assert workspace.relation is Relation.ADMINISTRATOR
    assert not workspace.may_write
    with pytest.raises(PermissionDenied):
        writable_workspace_for_user(administrator_with_grant, recording.pk)


@pytest.mark.parametrize(
    "persona", ["colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org"]
)
def test_outsiders_do_not_learn_that_the_recording_exists(recording, persona, request):
    with pytest.raises(Http404):
        workspace_for_user(request.getfixturevalue(persona), recording.pk)


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_coordinators_and_administrators_without_grant_are_refused_video_content(recording, persona, request):
    with pytest.raises(PermissionDenied):
        workspace_for_user(request.getfixturevalue(persona), recording.pk)


def test_an_unknown_or_malformed_id_is_not_found(professional):
    with pytest.raises(Http404):
        workspace_for_user(professional, "not-a-uuid")
    with pytest.raises(Http404):
        annotation_for_user(professional, "x", AnnotationAction.VIEW)
    with pytest.raises(Http404):
        review_media_for_user(professional, "x")


def test_a_draft_exists_only_for_its_author(professional, supervisor, recording, make_annotation):
    draft = make_annotation(recording, supervisor, kind="feedback", visibility="draft")

    assert annotation_for_user(supervisor, draft.pk, AnnotationAction.PUBLISH)[0] == draft
    with pytest.raises(Http404):
        annotation_for_user(professional, draft.pk, AnnotationAction.VIEW)


def test_replies_go_to_published_threads_and_edits_to_the_author(
    professional, supervisor, recording, make_annotation
):
    feedback = make_annotation(recording, supervisor, kind="feedback")

    annotation_for_user(professional, feedback.pk, AnnotationAction.REPLY)
    annotation_for_user(professional, feedback.pk, AnnotationAction.RESOLVE)
    with pytest.raises(PermissionDenied):
        annotation_for_user(professional, feedback.pk, AnnotationAction.EDIT)
    with pytest.raises(PermissionDenied):
        annotation_for_user(professional, feedback.pk, AnnotationAction.PUBLISH)


def test_a_reply_cannot_itself_be_replied_to(professional, supervisor, recording, make_annotation):
    feedback = make_annotation(recording, supervisor, kind="feedback")
    reply = make_annotation(recording, professional, parent=feedback, kind="reply", category=None)

    with pytest.raises(PermissionDenied):
        annotation_for_user(supervisor, reply.pk, AnnotationAction.REPLY)


def test_a_supervisor_whose_assignment_ended_loses_access(
    professional, supervisor, recording, make_annotation
):
    feedback = make_annotation(recording, supervisor, kind="feedback")
    supervisor.trainee_assignments.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(Http404):
        annotation_for_user(supervisor, feedback.pk, AnnotationAction.VIEW)


def test_only_an_assigned_supervisor_may_review_a_cycle(
    professional, supervisor, supervisor_unassigned, recording
):
    assert may_review_cycle(supervisor, recording.cycle)
    assert not may_review_cycle(professional, recording.cycle)
    assert not may_review_cycle(supervisor_unassigned, recording.cycle)
