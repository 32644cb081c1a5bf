"""The permission matrix: every URL of the project, every role, one exact expected answer each.

``MATRIX`` holds one entry per URL pattern (keyed by its fully qualified name, or by its route when it has
none). An entry builds the objects its URL needs, all owned by the persona ``professional`` of JGZ Noord,
and lists the requests to make (every HTTP method the view accepts) with the answer each role must get.
The expectations follow ``organisations.rules``: outsiders get 404, too few rights 403, coordinators never
see video content, administrators see records but no video content without a grant (the extra persona
``administrator_with_grant`` holds one), and the certified-only DMOP tools refuse whoever holds no valid
DMOP certificate with 403. For lists a status is not enough: the entry also names a text that only the
roles allowed to see the professional's object may find in the answer.

``test_every_url_has_a_matrix_entry`` fails when a URL appears without an entry (add it to the matrix) or an
entry outlives its URL. Contradictions found in the views are kept as strict xfails (``BUGS``) with the
exact finding, so the suite stays green and turns red the day a view is fixed (then drop the mark).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisations.models import User, VideoGrant
from organisations.tokens import api_token_create
from tests.conftest import grant_video, make_person
from tests.matrix_objects import ROLES, MatrixObjects

# --- Outcomes -------------------------------------------------------------------------------------------

ALLOW = "ALLOW"  # 2xx, or 3xx not to the login page; for writes with minimal data also 400 (validation runs
# only after the access check passed)
DENY_403 = "DENY_403"
DENY_404 = "DENY_404"
LOGIN = "LOGIN"  # pages: 302 to /login/; API: 401 or 403
SKIP = "SKIP"  # this request makes no sense for the role (said why at the entry)

LOGIN_PATH = "/login/"
Profile = dict[str, str]
OUTSIDERS = ("colleague", "professional_other_org", "supervisor_unassigned", "coordinator_other_org")


def by_relation(
    owner: str,
    supervisor: str,
    coordinator: str,
    administrator: str,
    outsider: str = DENY_404,
    granted: str | None = None,
) -> Profile:
    """Answers for an object of ``professional``, by the relation each persona has to that owner.

    ``granted``: the administrator with a video grant, when that answer differs from the administrator's.
    """
    return {
        "anonymous": LOGIN,
        "professional": owner,
        "supervisor": supervisor,
        "coordinator": coordinator,
        "administrator": administrator,
        "administrator_with_grant": administrator if granted is None else granted,
        **dict.fromkeys(OUTSIDERS, outsider),
    }


def by_role(allowed: tuple[str, ...], others: str = DENY_403) -> Profile:
    """Answers for a page without an object id: the roles in ``allowed`` get in, everyone else ``others``."""
    return {role: LOGIN if role == "anonymous" else ALLOW if role in allowed else others for role in ROLES}


# Objects of the professional, by the rules' actions (Relation x Action in organisations.rules).
VIEW = by_relation(ALLOW, ALLOW, ALLOW, ALLOW)
# Video content: coordinators never, administrators not without a time-limited grant.
PLAY = by_relation(ALLOW, ALLOW, DENY_403, DENY_403, granted=ALLOW)
# Writing in the annotation workspace (analysis, feedback, replies, review media): the owner and the
# assigned supervisor; an administrator with a grant may watch but not write.
PLAY_AND_WRITE = by_relation(ALLOW, ALLOW, DENY_403, DENY_403)
CHANGE = by_relation(ALLOW, DENY_403, DENY_403, DENY_403)
OWNER_ONLY = CHANGE  # pages only the owner sees (who viewed my film), though others may VIEW the object
FEEDBACK = by_relation(DENY_403, ALLOW, DENY_403, DENY_403)
# A draft is private to its author: to the supervisor it does not exist.
OWNER_DRAFT = by_relation(ALLOW, DENY_404, DENY_403, DENY_403, granted=DENY_404)
# Renewal evidence is confirmed (and the certificate renewed) by the assigned supervisor or an administrator.
CONFIRMER = by_relation(DENY_403, ALLOW, DENY_403, ALLOW)
REVOKER = by_relation(DENY_403, DENY_403, DENY_403, ALLOW)
# The certificate PDF: the professional, their coordinator and administrators, not the supervisor.
CERTIFICATE_PDF = by_relation(ALLOW, DENY_403, ALLOW, ALLOW)
# Films of families outside the training need the owner's VIB certificate (the owner holds none here):
# nobody may play or change them, though who may VIEW still sees the record.
PRACTICE_REFUSED = by_relation(DENY_403, DENY_403, DENY_403, DENY_403)
NOBODY: Profile = {}
# A family's consent ledger (families.access): same-organisation colleagues who never filmed it are outsiders.
FAMILY_VIEW = by_relation(ALLOW, ALLOW, ALLOW, ALLOW)
FAMILY_CHANGE = by_relation(ALLOW, DENY_403, ALLOW, DENY_403)

# Assigning supervisors and trainers to an enrolment: the owner's coordinator and administrators.
MANAGE = by_relation(DENY_403, DENY_403, ALLOW, ALLOW)
# A supervision session: its supervisor and trainee open it, administrators read it; the coordinator
# only learns (on the enrolment page) that it took place.
SESSION = by_relation(ALLOW, ALLOW, DENY_403, ALLOW)
SESSION_LEADER = by_relation(DENY_403, ALLOW, DENY_403, DENY_403)
SESSION_TRAINEE = by_relation(ALLOW, DENY_403, DENY_403, DENY_403)

# Pages without an object id.
ANY_USER = by_role(ROLES)  # lists filtered to what the user may see, the user's own things
PROFESSIONALS = by_role(("professional", "colleague", "professional_other_org"))
SUPERVISORS = by_role(("supervisor", "supervisor_unassigned"))
ADMINISTRATORS = ("administrator", "administrator_with_grant")
COORDINATORS_AND_ADMINS = by_role(("coordinator", "coordinator_other_org", *ADMINISTRATORS))
# Organisation-wide pages through rules.require_coordinator_of: everyone else must not learn they exist.
ORGANISATION_PAGE = by_role(("coordinator", "coordinator_other_org", *ADMINISTRATORS), others=DENY_404)
ADMINISTRATORS_404 = by_role(ADMINISTRATORS, others=DENY_404)
# Who sees the owner in organisation overviews: the coordinator of JGZ Noord and administrators.
MANAGERS = by_relation(DENY_403, DENY_403, ALLOW, ALLOW)

# DMOP: families belong to the organisation; the gate wants a valid DMOP certificate (professional and
# professional_other_org hold one, nobody else does), so the uncertified get 403 before any lookup.
_UNCERTIFIED_403 = dict.fromkeys(ROLES, DENY_403) | {"anonymous": LOGIN}
DMOP_ORGANISATION = _UNCERTIFIED_403 | {"professional": ALLOW, "professional_other_org": ALLOW}
DMOP_FAMILY = _UNCERTIFIED_403 | {"professional": ALLOW, "professional_other_org": DENY_404}
# The sociale kaart: the organisation's coordinators without certificate, its certified professionals.
SOCIALE_KAART = DMOP_ORGANISATION | {"coordinator": ALLOW, "coordinator_other_org": ALLOW}
PARTNER_CREATE = _UNCERTIFIED_403 | {"coordinator": ALLOW, "coordinator_other_org": ALLOW}
# Who sees JGZ Noord's partners: its coordinator and its certified professional.
PARTNER_VIEW = _UNCERTIFIED_403 | {"professional": ALLOW, "coordinator": ALLOW}
# Exporting the whole organisation for the DD-JGZ: its coordinators (and designated professionals, none
# here); a certified professional exports one family at a time.
DMOP_EXPORT = _UNCERTIFIED_403 | {"coordinator": ALLOW, "coordinator_other_org": ALLOW}
DMOP_EXPORT_SHOWN = _UNCERTIFIED_403 | {"coordinator": ALLOW}
PARTNER_MANAGE = _UNCERTIFIED_403 | {
    "coordinator": ALLOW,
    "coordinator_other_org": DENY_404,
    "professional_other_org": DENY_404,
}

# The coordinator's self-service (organisations.access, courses.cohort_access): a coordinator manages their
# own organisation; administrators manage in the admin site (403); people reached by id outside the
# organisation do not exist (404), members of it who are not coordinators get 403.
COORDINATORS = by_role(("coordinator", "coordinator_other_org"))
COORDINATOR_ONLY_SHOWN = by_relation(DENY_403, DENY_403, ALLOW, DENY_403)
STAFF_MEMBER: Profile = dict.fromkeys(ROLES, DENY_404) | {
    "anonymous": LOGIN,
    "professional": DENY_403,
    "colleague": DENY_403,
    "coordinator": ALLOW,
    "administrator": DENY_403,
    "administrator_with_grant": DENY_403,
}
COHORT: Profile = dict.fromkeys(ROLES, DENY_404) | {
    "anonymous": LOGIN,
    "coordinator": ALLOW,
    "administrator": DENY_403,
    "administrator_with_grant": DENY_403,
}
# A training day: its trainer (here the owner's supervisor) registers attendance, the coordinator plans it.
TRAINING_DAY_VIEW: Profile = dict.fromkeys(ROLES, DENY_404) | {
    "anonymous": LOGIN,
    "supervisor": ALLOW,
    "coordinator": ALLOW,
    "administrator": ALLOW,
    "administrator_with_grant": ALLOW,
}
TRAINING_DAY_ATTENDANCE = TRAINING_DAY_VIEW | {
    "coordinator": DENY_403,
    "administrator": DENY_403,
    "administrator_with_grant": DENY_403,
}

# --- The table ------------------------------------------------------------------------------------------

Kwargs = Callable[[MatrixObjects], dict[str, Any]]
RoleKwargs = Callable[[MatrixObjects, User | None], dict[str, Any]]


@dataclass(frozen=True)
class Check:
    expect: Profile
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # For URLs whose arguments depend on the requesting user (a playback link issued to that user).
    kwargs_for: RoleKwargs | None = None
    # Lists: a text that only appears when the owner's object is listed, and who must see it. A 200 is
    # not enough for a list: it must also leave out what the role may not see.
    shows: Callable[[MatrixObjects], str] | None = None
    shown_to: frozenset[str] = frozenset()
    # A raw request body (tus PATCH) instead of form or JSON data.
    body: bytes | None = None
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Entry:
    build: Kwargs
    checks: tuple[Check, ...]
    api: bool = False  # anonymous: 401/403 instead of a redirect to the login page


def allowed_in(profile: Profile) -> frozenset[str]:
    return frozenset(role for role, outcome in profile.items() if outcome == ALLOW)


def listing(expect: Profile, shows: Callable[[MatrixObjects], str], shown_to: Profile) -> Check:
    """A GET of a list that must show the owner's object to exactly the roles ``shown_to`` allows."""
    return Check(expect, shows=shows, shown_to=allowed_in(shown_to))


def page(build: Kwargs, expect: Profile, method: str = "get", **extra: Any) -> Entry:
    return Entry(build, (Check(expect, method, **extra),))


def form(build: Kwargs, expect: Profile) -> Entry:
    """A form page: GET shows it, POST (here with no data) submits it; both need the same rights."""
    return Entry(build, (Check(expect), Check(expect, "post")))


def api(build: Kwargs, *checks: Check) -> Entry:
    return Entry(build, checks, api=True)


def none(objects: MatrixObjects) -> dict[str, Any]:
    return {}


def recording(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": o.recording.pk}


def cycle(o: MatrixObjects) -> dict[str, Any]:
    o.build("recording")  # the cycle page shows the cycle's films
    return {"pk": o.cycle.pk}


def family_code(o: MatrixObjects) -> str:
    return o.recording.family.code


def owner_name(o: MatrixObjects) -> str:
    o.build("enrolment", "recording")  # so that the owner appears in training and recording lists
    return o.owner.full_name


def dmop_family_code(o: MatrixObjects) -> str:
    o.build("contact_moment")  # exports list contact moments
    return o.family.code


def practice(o: MatrixObjects, user: User | None) -> dict[str, Any]:
    return {"pk": o.practice_recording.pk}


STREAM_LINK = "/recordings/stream/"


def draft_text(o: MatrixObjects) -> str:
    o.build("annotation")
    return o.draft_annotation.text


def published_text(o: MatrixObjects) -> str:
    return o.annotation.text


def annotation(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": o.annotation.pk}


def enrolment_requirement(kind: str) -> Kwargs:
    return lambda o: {"pk": o.enrolment.pk, "requirement_id": o.requirement(kind).pk}


def certificate(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": o.dmop_certificate.pk}


def family(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": o.family.pk}


def partner(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": o.partner.pk}


def api_token(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": api_token_create(user=o.owner, name="matrix", days=1, second_factor=False)[0].pk}


def video_grant(o: MatrixObjects) -> dict[str, Any]:
    return {"pk": VideoGrant.objects.create(administrator=o.person("administrator"), reason="x", days=1).pk}


TUS = {"Tus-Resumable": "1.0.0"}

MATRIX: dict[str, Entry] = {
    "home": page(none, ANY_USER),
    "api_me": api(none, Check(ANY_USER)),
    "notifications:list": Entry(none, (listing(ANY_USER, lambda o: o.notification.subject, OWNER_ONLY),)),
    "notifications:mark_all_read": page(none, ANY_USER, "post"),
    "audit:log": page(none, ADMINISTRATORS_404),
    # --- organisations: one's own API tokens; administrators' video grants (four eyes)
    "organisations:api_tokens": form(none, ANY_USER),
    # Built once: the owner deletes it (302); to everyone else someone else's token does not exist.
    "organisations:api_token_delete": page(
        api_token, by_relation(ALLOW, DENY_404, DENY_404, DENY_404), "post"
    ),
    "organisations:video_grants": form(none, by_role(ADMINISTRATORS)),
    # Requested by "administrator": only the other administrator may decide, never the requester.
    "organisations:video_grant_approve": page(video_grant, by_role(("administrator_with_grant",)), "post"),
    "organisations:video_grant_refuse": page(video_grant, by_role(("administrator_with_grant",)), "post"),
    # --- courses
    "courses:my_training": page(none, ANY_USER),
    "courses:enrolment_detail": page(lambda o: {"pk": o.enrolment.pk}, VIEW),
    "courses:study_module_done": page(enrolment_requirement("study_module"), CHANGE, "post"),
    "courses:assignment_submit": form(enrolment_requirement("assignment"), CHANGE),
    # Second check: a requirement of another course version does not belong to this enrolment (404).
    "courses:attendance_register": Entry(
        enrolment_requirement("supervision_meetings"),
        (
            Check(FEEDBACK),
            Check(FEEDBACK, "post"),
            Check(
                FEEDBACK | {"supervisor": DENY_404},
                kwargs_for=lambda o, user: {"pk": o.enrolment.pk, "requirement_id": o.dmop_requirement.pk},
            ),
        ),
    ),
    "courses:milestone_record": form(enrolment_requirement("milestone"), FEEDBACK),
    "courses:final_assessment": form(enrolment_requirement("final_assessment"), FEEDBACK),
    "courses:assignment_review": form(lambda o: {"evidence_id": o.assignment_evidence.pk}, FEEDBACK),
    "courses:enrolment_supervisors": form(lambda o: {"pk": o.enrolment.pk}, MANAGE),
    "courses:supervisor_assignment_end": page(lambda o: {"pk": o.supervisor_assignment.pk}, MANAGE, "post"),
    "courses:supervision_session_new": form(lambda o: {"pk": o.enrolment.pk}, FEEDBACK),
    "courses:supervision_session": page(lambda o: {"pk": o.supervision_session.pk}, SESSION),
    "courses:supervision_report": page(lambda o: {"pk": o.supervision_session.pk}, SESSION_LEADER, "post"),
    "courses:supervision_participation": page(
        lambda o: {"pk": o.supervision_participant.pk}, SESSION_TRAINEE, "post"
    ),
    "courses:trainees": Entry(none, (listing(SUPERVISORS, owner_name, FEEDBACK),)),
    "courses:overview": Entry(none, (listing(ORGANISATION_PAGE, owner_name, MANAGERS),)),
    "courses:overview_export": Entry(none, (listing(ORGANISATION_PAGE, owner_name, MANAGERS),)),
    # The coordinator's cohorts and the trainer's training days
    "courses:cohort_list": Entry(
        none, (listing(COORDINATORS, lambda o: o.cohort.name, COORDINATOR_ONLY_SHOWN),)
    ),
    "courses:cohort_new": form(none, COORDINATORS),
    "courses:cohort_detail": Entry(
        lambda o: {"pk": o.cohort.pk}, (listing(COHORT, owner_name, COORDINATOR_ONLY_SHOWN),)
    ),
    "courses:cohort_enrol": page(lambda o: {"pk": o.cohort.pk}, COHORT, "post"),
    "courses:training_day_new": form(lambda o: {"pk": o.cohort.pk}, COHORT),
    "courses:enrolment_withdraw": page(lambda o: {"pk": o.enrolment.pk}, MANAGERS, "post"),
    "courses:enrolment_cohort_change": form(lambda o: {"pk": o.enrolment.pk}, MANAGERS),
    "courses:training_days": Entry(none, (listing(SUPERVISORS, lambda o: o.training_day.place, FEEDBACK),)),
    "courses:training_day_detail": page(lambda o: {"pk": o.training_day.pk}, TRAINING_DAY_VIEW),
    "courses:training_day_attendance": page(
        lambda o: {"pk": o.training_day.pk}, TRAINING_DAY_ATTENDANCE, "post"
    ),
    "api_enrolments": api(none, listing(ANY_USER, owner_name, VIEW)),
    "api_enrolment_detail": api(lambda o: {"pk": o.enrolment.pk}, Check(VIEW)),
    # --- organisations: the coordinator's self-service
    "organisations:coordination": page(none, COORDINATORS),
    "organisations:ncj_contact": page(none, COORDINATORS, "post"),
    "organisations:implementation_check": form(lambda o: {"item": "cameras"}, COORDINATORS),
    "organisations:staff_list": Entry(none, (listing(COORDINATORS, owner_name, COORDINATOR_ONLY_SHOWN),)),
    "organisations:staff_new": form(none, COORDINATORS),
    "organisations:staff_edit": form(lambda o: {"pk": o.owner.pk}, STAFF_MEMBER),
    "organisations:staff_deactivate": page(lambda o: {"pk": o.owner.pk}, STAFF_MEMBER, "post"),
    "organisations:staff_reactivate": page(lambda o: {"pk": o.owner.pk}, STAFF_MEMBER, "post"),
    # --- recordings
    "recordings:list": Entry(none, (listing(ANY_USER, family_code, VIEW),)),
    "recordings:create": form(none, PROFESSIONALS),
    # The page offers playback links only to those who may PLAY; never for a practice film of an
    # uncertified owner.
    "recordings:detail": Entry(
        recording,
        (
            listing(VIEW, lambda o: STREAM_LINK, PLAY),
            Check(VIEW, kwargs_for=practice, shows=lambda o: STREAM_LINK),
        ),
    ),
    "recordings:status": page(recording, VIEW),
    "recordings:upload_again": page(recording, CHANGE, "post"),
    "recordings:playback": Entry(recording, (Check(PLAY), Check(PRACTICE_REFUSED, kwargs_for=practice))),
    # The segment manifest of a film still being encoded: the same rule as the playback links.
    "recordings:segments": Entry(recording, (Check(PLAY), Check(PRACTICE_REFUSED, kwargs_for=practice))),
    "recordings:access_log": page(recording, OWNER_ONLY),
    # A family belongs to the organisation: its professional and coordinator may withdraw (the coordinator
    # on the family's behalf), the supervisor and administrators only see the ledger.
    "families:detail": page(lambda o: {"pk": o.consent_family.pk}, FAMILY_VIEW),
    "families:withdraw": form(lambda o: {"pk": o.consent_family.pk}, FAMILY_CHANGE),
    "families:form_upload": page(lambda o: {"pk": o.consent_family.pk}, FAMILY_CHANGE, "post"),
    "families:form_download": page(lambda o: {"pk": o.signed_form.pk}, FAMILY_CHANGE),
    # A playback link is a bearer token for a few minutes (like a presigned S3 URL): the owner's link works
    # without a session, but never in somebody else's session; and a link issued to anyone is only served
    # while that person may still PLAY the film (rights are checked again at every fetch).
    "recordings:stream": Entry(
        none,
        (
            Check(
                dict.fromkeys(ROLES, DENY_404) | {"anonymous": ALLOW, "professional": ALLOW},
                kwargs_for=lambda o, user: {"token": o.stream_token(o.owner)},
            ),
            Check(
                PLAY | {"anonymous": SKIP},  # nobody issues links to anonymous visitors
                kwargs_for=lambda o, user: {"token": o.stream_token(user or o.owner)},
            ),
            Check(
                PRACTICE_REFUSED | {"anonymous": SKIP},
                kwargs_for=lambda o, user: {"token": o.stream_token(user or o.owner, o.practice_recording)},
            ),
            # A token naming a segment: served to exactly those who may PLAY the film.
            Check(
                PLAY | {"anonymous": SKIP},
                kwargs_for=lambda o, user: {"token": o.segment_token(user or o.owner)},
            ),
        ),
    ),
    "api-recordings": api(
        none, listing(ANY_USER, lambda o: str(o.recording.pk), VIEW), Check(PROFESSIONALS, "post")
    ),
    "api-recording": api(
        recording,
        listing(VIEW, lambda o: STREAM_LINK, PLAY),
        Check(VIEW, kwargs_for=practice, shows=lambda o: STREAM_LINK),
    ),
    # --- uploads (tus: Tus-Resumable on every request; anonymous gets 401)
    "uploads:create": api(
        lambda o: {"recording_id": o.awaiting_recording.pk},
        Check(CHANGE, "post", headers=TUS | {"Upload-Length": "1024"}),
    ),
    "uploads:resource": api(
        lambda o: {"upload_id": o.upload.pk},
        Check(CHANGE, "head", headers=TUS),
        Check(
            CHANGE,
            "patch",
            headers=TUS | {"Upload-Offset": "0"},
            body=b"\x00\x00\x00\x18ftyp",
            content_type="application/offset+octet-stream",
        ),
        Check(CHANGE, "delete", headers=TUS),
    ),
    "uploads:page": Entry(
        lambda o: {"recording_id": o.awaiting_recording.pk},
        (
            Check(CHANGE),
            Check(
                PRACTICE_REFUSED,
                kwargs_for=lambda o, user: {"recording_id": o.practice_awaiting_recording.pk},
            ),
        ),
    ),
    # --- annotations (the workspace is video content: PLAY)
    "annotations:queue": Entry(none, (listing(SUPERVISORS, owner_name, FEEDBACK),)),
    # A draft annotation is private to its author: no other page or list shows it.
    "annotations:workspace": Entry(
        recording,
        (listing(PLAY, draft_text, OWNER_ONLY), Check(PRACTICE_REFUSED, kwargs_for=practice)),
    ),
    "annotations:cycle": page(cycle, PLAY),
    "annotations:cycle_mark_reviewed": page(cycle, FEEDBACK, "post"),
    "annotations:cycle_unmark_reviewed": page(cycle, FEEDBACK, "post"),
    "annotations:media_download": page(lambda o: {"pk": o.review_media.pk}, PLAY),
    "api-recording-annotations": api(
        recording,
        listing(PLAY, draft_text, OWNER_ONLY),
        Check(PLAY_AND_WRITE, "post"),
        Check(PRACTICE_REFUSED, kwargs_for=practice),
    ),
    "api-recording-annotations-publish": api(recording, Check(PLAY_AND_WRITE, "post")),
    # The exports hold published annotations only, so a draft is in nobody's export, the owner's included.
    "api-annotations-vtt": api(
        recording, listing(PLAY, published_text, PLAY), listing(PLAY, draft_text, NOBODY)
    ),
    "api-annotations-csv": api(
        recording, listing(PLAY, published_text, PLAY), listing(PLAY, draft_text, NOBODY)
    ),
    "api-recording-annotation-categories": api(recording, Check(PLAY)),
    "api-review-media": api(recording, Check(PLAY), Check(PLAY_AND_WRITE, "post")),
    # Edit and delete: the author (the owner) only; the supervisor sees the annotation (403, not 404).
    "api-annotation": api(
        annotation, Check(PLAY), Check(CHANGE, "patch", data={"text": "Anders"}), Check(CHANGE, "delete")
    ),
    "api-annotation-publish": api(lambda o: {"pk": o.draft_annotation.pk}, Check(OWNER_DRAFT, "post")),
    "api-annotation-replies": api(annotation, Check(PLAY_AND_WRITE, "post", data={"text": "Goed gezien"})),
    "api-annotation-resolve": api(annotation, Check(PLAY_AND_WRITE, "post", data={"resolved": True})),
    # --- certification (the owner's DMOP certificate)
    "certification:mine": Entry(
        none,
        (listing(ANY_USER, lambda o: reverse("certification:detail", args=[o.dmop_certificate.pk]), CHANGE),),
    ),
    "certification:overview": Entry(none, (listing(COORDINATORS_AND_ADMINS, owner_name, MANAGERS),)),
    "certification:overview_export": Entry(none, (listing(COORDINATORS_AND_ADMINS, owner_name, MANAGERS),)),
    "certification:detail": page(certificate, VIEW),
    "certification:pdf": page(certificate, CERTIFICATE_PDF),
    "certification:evidence_add": page(certificate, CHANGE, "post"),
    # Second check: evidence of another certificate under this certificate's id does not exist (404).
    "certification:evidence_confirm": Entry(
        lambda o: {"pk": o.dmop_certificate.pk, "evidence_pk": o.recertification_evidence.pk},
        (
            Check(CONFIRMER, "post"),
            Check(
                CONFIRMER | dict.fromkeys(("supervisor", *ADMINISTRATORS), DENY_404),
                "post",
                kwargs_for=lambda o, user: {
                    "pk": o.dmop_certificate.pk,
                    "evidence_pk": o.other_recertification_evidence.pk,
                },
            ),
        ),
    ),
    "certification:renew": page(certificate, CONFIRMER, "post"),
    "certification:revoke": form(certificate, REVOKER),
    "certification:reinstate": form(certificate, REVOKER),
    "api_certification_list": api(none, listing(ANY_USER, owner_name, VIEW)),
    "api_certification_detail": api(certificate, Check(VIEW)),
    # --- DMOP and the sociale kaart
    "dmop:family_list": Entry(none, (listing(DMOP_ORGANISATION, dmop_family_code, DMOP_FAMILY),)),
    "dmop:family_new": form(none, DMOP_ORGANISATION),
    "dmop:family_detail": page(family, DMOP_FAMILY),
    "dmop:contact_moment_new": form(family, DMOP_FAMILY),
    # Second check: another organisation's contact moment under our family's id does not exist (404).
    "dmop:contact_moment_detail": Entry(
        lambda o: {"pk": o.family.pk, "moment_pk": o.contact_moment.pk},
        (
            Check(DMOP_FAMILY),
            Check(
                DMOP_FAMILY | {"professional": DENY_404},
                kwargs_for=lambda o, user: {"pk": o.family.pk, "moment_pk": o.other_contact_moment.pk},
            ),
        ),
    ),
    "dmop:contact_moment_correct": form(
        lambda o: {"pk": o.family.pk, "moment_pk": o.contact_moment.pk}, DMOP_FAMILY
    ),
    "dmop:plan_action_edit": form(lambda o: {"pk": o.family.pk, "action_pk": o.plan_action.pk}, DMOP_FAMILY),
    # Monitoring: aggregates for coordinators and administrators; no role ever finds a family code in it.
    "dmop:monitoring": Entry(none, (listing(ORGANISATION_PAGE, dmop_family_code, NOBODY),)),
    "dmop:monitoring_curve_csv": Entry(none, (listing(ORGANISATION_PAGE, dmop_family_code, NOBODY),)),
    "dmop:partner_list": Entry(none, (listing(SOCIALE_KAART, lambda o: o.partner.name, PARTNER_VIEW),)),
    "dmop:partner_new": form(none, PARTNER_CREATE),
    "dmop:partner_edit": form(partner, PARTNER_MANAGE),
    "dmop:partner_delete": form(partner, PARTNER_MANAGE),
    "dmop-api-family-list": api(
        none, listing(DMOP_ORGANISATION, dmop_family_code, DMOP_FAMILY), Check(DMOP_ORGANISATION, "post")
    ),
    "dmop-api-family-detail": api(family, Check(DMOP_FAMILY)),
    "dmop-api-contact-moment-create": api(family, Check(DMOP_FAMILY, "post")),
    "dmop-api-family-export-json": api(family, Check(DMOP_FAMILY)),
    "dmop-api-family-export-csv": api(family, Check(DMOP_FAMILY)),
    "dmop-api-organisation-export-json": api(none, listing(DMOP_EXPORT, dmop_family_code, DMOP_EXPORT_SHOWN)),
    "dmop-api-organisation-export-csv": api(none, listing(DMOP_EXPORT, dmop_family_code, DMOP_EXPORT_SHOWN)),
    "dmop-api-factor-list": api(none, Check(DMOP_ORGANISATION)),
    "dmop-api-partner-list": api(none, listing(SOCIALE_KAART, lambda o: o.partner.name, PARTNER_VIEW)),
}

# Public or infrastructure URLs, deliberately outside the matrix (each has its own tests).
NOT_IN_MATRIX = {
    "login",  # the login form itself
    "logout",
    "two_factor_verify",  # the second step of logging in
    "two_factor_setup",
    "password_set",  # the invitation link: a single-use token, tested in tests/organisations/test_view_staff.py
    "set_language",  # django.conf.urls.i18n
    "healthz",  # load balancer probe, no data
    "api_schema",  # the OpenAPI document, no data
    "verify",  # public certificate check by code (rate limited)
}
ADMIN_NAMESPACE = "admin"  # checked by test_admin_site_is_for_staff_administrators_only

# Known contradictions with organisations.rules: url key -> the finding (kept as strict xfails).
BUGS: dict[str, str] = {}

# --- Enumerating the URL configuration ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    route: str
    namespace: str
    methods: frozenset[str] | None  # None: not derivable from the view


def _closure_methods(callback: Callable[..., Any]) -> frozenset[str] | None:
    """HTTP methods from require_http_methods (and the tus decorator), following functools.wraps."""
    func: Any = callback
    while func is not None:
        code = getattr(func, "__code__", None)
        for name, cell in zip(
            code.co_freevars if code else (), getattr(func, "__closure__", None) or (), strict=True
        ):
            if name in ("request_method_list", "methods"):
                return frozenset(str(method).upper() for method in cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def allowed_methods(callback: Callable[..., Any]) -> frozenset[str] | None:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        names = {name for name in view_class.http_method_names if hasattr(view_class, name)}
        return frozenset(name.upper() for name in names - {"options"})
    return _closure_methods(callback)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            name_space = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), name_space)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = route
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(key, route, namespace, allowed_methods(pattern.callback))


def project_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def test_every_url_has_a_matrix_entry() -> None:
    routes = [r for r in project_routes() if r.namespace.split(":")[0] != ADMIN_NAMESPACE]
    keys = {r.key for r in routes}
    missing = sorted(keys - MATRIX.keys() - NOT_IN_MATRIX)
    assert not missing, f"URLs without a permission matrix entry: {missing}: add them to the matrix"
    gone = sorted((MATRIX.keys() | NOT_IN_MATRIX | BUGS.keys()) - keys)
    assert not gone, f"Matrix entries whose URL no longer exists: {gone}"


def test_matrix_requests_only_methods_the_views_accept() -> None:
    methods = {r.key: r.methods for r in project_routes() if r.methods is not None}
    wrong = [
        f"{key}: {check.method.upper()} not in {sorted(methods[key])}"
        for key, entry in MATRIX.items()
        if key in methods
        for check in entry.checks
        if check.method.upper() not in methods[key] and not (check.method == "head" and "GET" in methods[key])
    ]
    assert not wrong, wrong


def test_matrix_requests_every_method_the_views_accept() -> None:
    """A view that also takes POST (a form page) is asked with POST too: both branches are authorised."""
    methods = {r.key: r.methods for r in project_routes()}
    unchecked = []
    for key, entry in MATRIX.items():
        accepted = methods.get(key) or frozenset()
        checked = {check.method.upper() for check in entry.checks}
        if "GET" in checked:
            checked.add("HEAD")  # Django answers HEAD like GET
        unchecked += [f"{key}: {method}" for method in sorted(accepted - checked - {"OPTIONS"})]
    assert not unchecked, f"Methods the matrix never requests: {unchecked}"


def test_the_enumeration_sees_api_routes_and_their_methods() -> None:
    routes = {r.key: r for r in project_routes()}
    assert routes["api-recordings"].route == "api/recordings/"
    assert routes["api-recordings"].methods == {"GET", "POST"}
    assert routes["recordings:detail"].methods == {"GET"}
    assert routes["uploads:resource"].methods == {"HEAD", "PATCH", "DELETE"}


# --- Requesting every URL as every role -----------------------------------------------------------------


@pytest.fixture
def objects(
    professional,
    colleague,
    professional_other_org,
    supervisor,
    supervisor_unassigned,
    coordinator,
    coordinator_other_org,
    administrator,
) -> MatrixObjects:
    granted = make_person("greet@ncj.example", is_administrator=True, is_staff=True)
    grant_video(granted)
    users = {
        "anonymous": None,
        "professional": professional,
        "colleague": colleague,
        "professional_other_org": professional_other_org,
        "supervisor": supervisor,
        "supervisor_unassigned": supervisor_unassigned,
        "coordinator": coordinator,
        "coordinator_other_org": coordinator_other_org,
        "administrator": administrator,
        "administrator_with_grant": granted,
    }
    return MatrixObjects(users)


def describe(response: HttpResponse) -> str:
    location = response.get("Location", "")
    return f"{response.status_code} -> {location}" if location else str(response.status_code)


def is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and response.get("Location", "").startswith(LOGIN_PATH)


def matches(expected: str, response: HttpResponse, *, api: bool, method: str) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status in (401, 403) if api else is_login_redirect(response)
    if expected == DENY_403:
        return status == 403
    if expected == DENY_404:
        return status == 404
    if expected == ALLOW:
        if is_login_redirect(response) or "/two-factor/" in response.get("Location", ""):
            return False
        return 200 <= status < 400 or (status == 400 and method not in ("get", "head"))
    raise AssertionError(f"unknown outcome {expected}")


def request_as(client: Client, method: str, path: str, check: Check, api: bool) -> HttpResponse:
    send = getattr(client, method)
    headers = dict(check.headers)
    if check.body is not None:
        return send(path, data=check.body, content_type=check.content_type, headers=headers)
    if api and method in ("post", "patch", "put") and "Tus-Resumable" not in headers:
        return send(path, data=check.data, content_type="application/json", headers=headers)
    return (
        send(path, data=check.data or None, headers=headers)
        if method != "get"
        else send(path, headers=headers)
    )


def body_of(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    return response.content.decode(errors="replace")


def listing_failures(key: str, role: str, response: HttpResponse, marker: str, shown: bool) -> list[str]:
    if (marker in body_of(response)) == shown:
        return []
    problem = "does not list" if shown else "LEAKS"
    return [f"{key} GET as {role}: {problem} the professional's object ({marker!r})"]


def run_entry(key: str, entry: Entry, objects: MatrixObjects, client_for: Callable[..., Client]) -> list[str]:
    base_kwargs = entry.build(objects)
    failures = []
    for check in entry.checks:
        for role in ROLES:
            expected = check.expect[role]
            if expected == SKIP:
                continue
            user = objects.users[role]
            marker = check.shows(objects) if check.shows else None
            kwargs = check.kwargs_for(objects, user) if check.kwargs_for else base_kwargs
            path = reverse(key, kwargs=kwargs)
            client = client_for(user)
            # Each request in a savepoint that is rolled back: a deletion or withdrawal by one role must
            # not change what the next role sees, and nothing is queued for Celery.
            with transaction.atomic():
                try:
                    response = request_as(client, check.method, path, check, entry.api)
                    got = describe(response)
                    ok = matches(expected, response, api=entry.api, method=check.method)
                except Exception as error:  # a crash is an answer too, and must be reported per role
                    got, ok = f"raised {type(error).__name__}: {error}", False
                transaction.set_rollback(True)
            if not ok:
                failures.append(f"{key} {check.method.upper()} as {role}: expected {expected}, got {got}")
            elif marker is not None and expected == ALLOW:
                failures += listing_failures(key, role, response, marker, role in check.shown_to)
    return failures


def _entry_params() -> list[Any]:
    params = []
    for key in sorted(MATRIX):
        marks = [pytest.mark.xfail(strict=True, reason=f"bug: {BUGS[key]}")] if key in BUGS else []
        params.append(pytest.param(key, id=key, marks=marks))
    return params


@pytest.mark.parametrize("key", _entry_params())
def test_each_role_gets_exactly_the_expected_answer(key, objects, client_for) -> None:  # type: ignore[no-untyped-def]
    failures = run_entry(key, MATRIX[key], objects, client_for)
    assert not failures, "\n".join(failures)


# --- Half logged in: password given, second factor not yet ---------------------------------------------


def second_factor_answer_ok(path: str, response: HttpResponseBase) -> bool:
    """Pages send the user to the TOTP step; the JSON API answers 403 (a script cannot follow a form)."""
    if path.startswith("/api/"):
        return response.status_code == 403
    return response.status_code == 302 and response["Location"].startswith("/two-factor/")


@pytest.mark.parametrize("role", ["supervisor", "coordinator", "administrator_with_grant"])
def test_no_url_answers_before_the_second_factor(role, objects) -> None:  # type: ignore[no-untyped-def]
    """Roles that must use TOTP get nothing from any URL of the matrix on a password alone."""
    user = objects.users[role]
    client = Client()
    client.force_login(user)  # no OTP device in the session
    wrong = []
    for key, entry in MATRIX.items():
        base_kwargs = entry.build(objects)
        for check in entry.checks:
            kwargs = check.kwargs_for(objects, user) if check.kwargs_for else base_kwargs
            path = reverse(key, kwargs=kwargs)
            with transaction.atomic():
                response = request_as(client, check.method, path, check, entry.api)
                transaction.set_rollback(True)
            if not second_factor_answer_ok(path, response):
                wrong.append(f"{key} {check.method.upper()}: {describe(response)}")
    for path in admin_paths():
        if not second_factor_answer_ok(path, client.get(path)):
            wrong.append(path)
    assert not wrong, wrong


# --- The admin site ---------------------------------------------------------------------------------------


# Read-only in the admin: the append-only access logs (NEN 7513 and django-axes) and the records only the
# platform's own services create (a certificate comes from a sign-off, a recording from consent + upload).
ADMIN_NO_ADD = {
    "/admin/audit/accesslogentry/add/",
    "/admin/axes/accessattempt/add/",
    "/admin/axes/accessfailurelog/add/",
    "/admin/axes/accesslog/add/",
    "/admin/certification/certificate/add/",
    # A TOTP device made by someone else would let its maker pass another person's second factor.
    "/admin/otp_totp/totpdevice/add/",
    "/admin/families/destructionrecord/add/",
    "/admin/families/family/add/",
    "/admin/recordings/recording/add/",
}
# Not pages: the login/logout views and the autocomplete endpoint (403 without its query parameters).
ADMIN_NOT_PAGES = {"/admin/login/", "/admin/logout/", "/admin/autocomplete/"}


def admin_paths() -> list[str]:
    """Every admin page that takes no arguments: the index, each model's list and add page."""
    routes = [r for r in project_routes() if r.namespace == ADMIN_NAMESPACE and ":" in r.key]
    return sorted(reverse(r.key) for r in routes if "<" not in r.route and "(?P" not in r.route)


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_staff_administrators_only(role, objects, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(objects.users[role])
    paths = [p for p in admin_paths() if p not in ADMIN_NOT_PAGES]
    assert "/admin/" in paths and "/admin/recordings/recording/" in paths
    wrong = []
    for path in paths:
        response = client.get(path)
        if role in ADMINISTRATORS:
            ok = response.status_code == (403 if path in ADMIN_NO_ADD else 200)
        else:
            ok = response.status_code == 302 and response["Location"].startswith("/admin/login/")
        if not ok:
            wrong.append(f"{path}: {describe(response)}")
    assert not wrong, f"{role}: {wrong}"
