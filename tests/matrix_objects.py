"""Objects owned by the persona ``professional`` (JGZ Noord) for the permission matrix, built on demand.

Every object is made the first time an entry of the matrix asks for it and then kept for the rest of the
test function, so an entry only pays for what its URL needs. Films are rows plus a few bytes written to the
default storage (no ffmpeg): the views under test decide on rights before they ever decode a frame.
"""

from __future__ import annotations

import datetime
import uuid
from functools import cached_property

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from annotations.models import Annotation, Category, ReviewMedia
from certification.models import Certificate, RecertificationEvidence
from certification.services import certification_grant
from courses import services as course_services
from courses.models import (
    Cohort,
    CourseVersion,
    Enrolment,
    Evidence,
    Requirement,
    SupervisionParticipant,
    SupervisionSession,
    TrainingDay,
)
from courses.supervision import supervision_session_record
from dmop.models import (
    ConcernLevel,
    ContactMoment,
    Domain,
    DomainAssessment,
    Family,
    Partner,
    PartnerDomain,
    PlanAction,
)
from families import models as families_models
from notifications.models import Notification
from organisations.models import Organisation, SupervisorAssignment, User
from recordings import playback
from recordings.models import Recording, Rendition, Segment, VibCycle
from tests.families.factories import family_with_consent
from uploads.models import Upload
from uploads.services import upload_create

ROLES = (
    "anonymous",
    "professional",
    "colleague",
    "professional_other_org",
    "supervisor",
    "supervisor_unassigned",
    "coordinator",
    "coordinator_other_org",
    "administrator",
    # Not one of the shared personas: a national administrator holding a time-limited video grant, the one
    # way an administrator may see video content (and still never write in a professional's workspace).
    "administrator_with_grant",
)


DRAFT_TEXT = "Conceptnotitie-5521"


def _store(recording: Recording, ext: str, content: bytes) -> str:
    # Same key scheme as the pipeline: a random name under the recording's random folder.
    return default_storage.save(
        f"recordings/{recording.storage_prefix}/{uuid.uuid4().hex}.{ext}", ContentFile(content)
    )


class MatrixObjects:
    """The personas plus lazily built objects of ``professional``; one instance per test function."""

    def __init__(self, users: dict[str, User | None]) -> None:
        self.users = users
        self.owner = self.person("professional")
        assert self.owner.organisation is not None
        self.organisation: Organisation = self.owner.organisation
        self.supervisor = self.person("supervisor")
        # The owner holds a DMOP certificate (the instrument is for certified professionals); so does the
        # professional of the other organisation, so that the DMOP pages can show they still answer 404
        # to a certified outsider. The colleague holds none: the uncertified professional (403).
        self.dmop_certificate = self._certify(self.owner)
        self.other_professional = self.person("professional_other_org")
        self.other_dmop_certificate = self._certify(self.other_professional)

    def person(self, role: str) -> User:
        user = self.users[role]
        assert user is not None, f"{role} is not a logged-in persona"
        return user

    def _certify(self, professional: User) -> Certificate:
        return certification_grant(
            professional=professional, course_code="dmop", signed_off_by=self.supervisor, motivation="Matrix"
        )

    def build(self, *names: str) -> None:
        """Make the named objects now (an entry whose page lists them without taking them as arguments)."""
        for name in names:
            getattr(self, name)

    # --- recordings ------------------------------------------------------------------------------------

    def _family(self, code: str) -> families_models.Family:
        return family_with_consent(self.organisation, code, recorded_by=self.owner)

    @cached_property
    def consent_family(self) -> families_models.Family:
        """A family whose consent the owner recorded, without films: withdrawing it erases nothing that
        other entries need (storage deletions are not rolled back with the request's savepoint)."""
        return self._family("FAM-0050")

    @cached_property
    def signed_form(self) -> families_models.SignedForm:
        key = default_storage.save(f"consent-forms/{uuid.uuid4().hex}", ContentFile(b"%PDF-1.4 signed"))
        return families_models.SignedForm.objects.create(
            family=self.consent_family,
            key=key,
            content_type="application/pdf",
            size=15,
            uploaded_by=self.owner,
        )

    @cached_property
    def cycle(self) -> VibCycle:
        return VibCycle.objects.create(professional=self.owner, supervisor=self.supervisor)

    @cached_property
    def recording(self) -> Recording:
        """A ready training film of a home visit in a VIB cycle, with finished renditions in storage."""
        return self._ready_recording("FAM-0042", Recording.Purpose.TRAINING)

    @cached_property
    def practice_recording(self) -> Recording:
        """A ready film of a family outside the training, while the owner holds no VIB certificate."""
        return self._ready_recording("FAM-0044", Recording.Purpose.PRACTICE)

    def _ready_recording(self, code: str, purpose: str) -> Recording:
        recording = Recording.objects.create(
            professional=self.owner,
            family=self._family(code),
            cycle=self.cycle if purpose == Recording.Purpose.TRAINING else None,
            kind=Recording.Kind.HOME_VISIT,
            purpose=purpose,
            status=Recording.Status.READY,
            progress=100,
            duration_ms=60_000,
            width=160,
            height=120,
            has_audio=True,
            ready_at=timezone.now(),
        )
        contents = {
            Rendition.Kind.HIGH: ("mp4", b"\x00\x00\x00\x18ftypmp42 high"),
            Rendition.Kind.LOW: ("mp4", b"\x00\x00\x00\x18ftypmp42 low"),
            Rendition.Kind.POSTER: ("jpg", b"\xff\xd8\xff poster"),
            Rendition.Kind.SPRITE: ("jpg", b"\xff\xd8\xff sprite"),
            Rendition.Kind.THUMBNAILS_VTT: ("vtt", b"WEBVTT\n"),
        }
        for kind, (ext, content) in contents.items():
            Rendition.objects.create(
                recording=recording,
                kind=kind,
                key=_store(recording, ext, content),
                size=len(content),
                status=Rendition.Status.DONE,
            )
        return recording

    @cached_property
    def awaiting_recording(self) -> Recording:
        """A recording whose consent is recorded and whose film is still to be uploaded."""
        return Recording.objects.create(
            professional=self.owner, family=self._family("FAM-0043"), cycle=self.cycle
        )

    @cached_property
    def practice_awaiting_recording(self) -> Recording:
        return Recording.objects.create(
            professional=self.owner, family=self._family("FAM-0045"), purpose=Recording.Purpose.PRACTICE
        )

    @cached_property
    def upload(self) -> Upload:
        return upload_create(
            recording=self.awaiting_recording, length=1024, metadata={"filetype": "video/mp4"}
        )

    @cached_property
    def segment(self) -> Segment:
        """A finished segment of the ready film (kept after the join: the rows outlive the encode)."""
        content = b"\x00\x00\x00\x18ftypiso6 segment"
        return Segment.objects.create(
            recording=self.recording,
            index=0,
            start_ms=0,
            end_ms=60_000,
            key=_store(self.recording, "mp4", content),
            size=len(content),
        )

    def segment_token(self, user: User) -> str:
        """A local playback token for the first segment as if the manifest had issued it to ``user``."""
        return playback.stream_token(
            recording=self.recording, kind=playback.SEGMENT, user=user, segment=self.segment.index
        )

    def stream_token(self, user: User, recording: Recording | None = None) -> str:
        """A local playback token for the low rendition as if it had been issued to ``user``."""
        return playback.stream_token(
            recording=recording or self.recording, kind=Rendition.Kind.LOW, user=user
        )

    # --- annotations -----------------------------------------------------------------------------------

    @cached_property
    def category(self) -> Category | None:
        version = CourseVersion.objects.filter(course__code="vib", is_current=True).first()
        return Category.objects.filter(course_version=version).first()

    def _annotation(self, **fields: object) -> Annotation:
        values: dict[str, object] = {
            "recording": self.recording,
            "author": self.owner,
            "start_ms": 1000,
            "category": self.category,
            "text": "Moeder kijkt het kind aan",
            "kind": Annotation.Kind.ANALYSIS,
            "visibility": Annotation.Visibility.PUBLISHED,
            "published_at": timezone.now(),
        } | fields
        return Annotation.objects.create(**values)

    @cached_property
    def annotation(self) -> Annotation:
        """The owner's published analysis: a thread others may read and reply to."""
        return self._annotation()

    @cached_property
    def draft_annotation(self) -> Annotation:
        """The owner's draft: private to the owner until published."""
        return self._annotation(
            visibility=Annotation.Visibility.DRAFT, published_at=None, start_ms=2000, text=DRAFT_TEXT
        )

    @cached_property
    def review_media(self) -> ReviewMedia:
        """A finished still of the owner's film."""
        key = _store(self.recording, "jpg", b"\xff\xd8\xff still")
        return ReviewMedia.objects.create(
            recording=self.recording,
            created_by=self.owner,
            kind=ReviewMedia.Kind.STILL,
            start_ms=1000,
            key=key,
            size=9,
            status=ReviewMedia.Status.DONE,
            done_at=timezone.now(),
        )

    # --- courses ---------------------------------------------------------------------------------------

    @cached_property
    def enrolment(self) -> Enrolment:
        """The owner's VIB enrolment with the assigned supervisor as trainer."""
        version = CourseVersion.objects.get(course__code="vib", is_current=True)
        return course_services.enrolment_create(
            professional=self.owner, version=version, supervisor=self.supervisor
        )

    @cached_property
    def supervisor_assignment(self) -> SupervisorAssignment:
        """The assignment of the supervisor to the owner's VIB enrolment (made when enrolling)."""
        return SupervisorAssignment.objects.get(enrolment=self.enrolment, supervisor=self.supervisor)

    @cached_property
    def supervision_session(self) -> SupervisionSession:
        """A session held today by the assigned supervisor with the owner, discussing the owner's cycle."""
        return supervision_session_record(
            actor=self.supervisor,
            held_on=timezone.localdate(),
            duration_minutes=60,
            enrolments=[self.enrolment],
            report="Verslag",
        )

    @cached_property
    def supervision_participant(self) -> SupervisionParticipant:
        return self.supervision_session.participants.get()

    def requirement(self, kind: str) -> Requirement:
        return self.enrolment.version.requirements.filter(kind=kind).order_by("order").first()  # type: ignore[return-value]

    @cached_property
    def cohort(self) -> Cohort:
        """A cohort of JGZ Noord with the owner's VIB enrolment in it."""
        cohort = Cohort.objects.create(
            organisation=self.organisation, version=self.enrolment.version, name="Matrixgroep-7731"
        )
        Enrolment.objects.filter(pk=self.enrolment.pk).update(group=cohort)
        return cohort

    @cached_property
    def training_day(self) -> TrainingDay:
        """A training day of the cohort, given by the owner's supervisor, held yesterday."""
        return TrainingDay.objects.create(
            cohort=self.cohort,
            requirement=self.requirement(Requirement.Kind.TRAINING_DAY),
            date=timezone.localdate() - datetime.timedelta(days=1),
            place="Zaal Matrix-4410",
            trainer=self.supervisor,
        )

    @cached_property
    def dmop_requirement(self) -> Requirement:
        """A training day of the DMOP course: not a requirement of the owner's VIB enrolment."""
        return Requirement.objects.get(
            version__course__code="dmop",
            version__is_current=True,
            kind=Requirement.Kind.TRAINING_DAY,
            order=1,
        )

    @cached_property
    def assignment_evidence(self) -> Evidence:
        """The owner's submitted assignment, awaiting the trainer's review."""
        return course_services.assignment_submit(
            enrolment=self.enrolment,
            requirement=self.requirement(Requirement.Kind.ASSIGNMENT),
            actor=self.owner,
            text="Mijn reflectie",
        )

    # --- certification ---------------------------------------------------------------------------------

    @cached_property
    def recertification_evidence(self) -> RecertificationEvidence:
        return RecertificationEvidence.objects.create(
            certificate=self.dmop_certificate,
            kind=RecertificationEvidence.Kind.INTERVISION,
            date=timezone.localdate(),
            note="Intervisie",
            recorded_by=self.owner,
        )

    @cached_property
    def other_recertification_evidence(self) -> RecertificationEvidence:
        """Evidence on the other organisation's professional's certificate (for mixed-id requests)."""
        return RecertificationEvidence.objects.create(
            certificate=self.other_dmop_certificate,
            kind=RecertificationEvidence.Kind.INTERVISION,
            date=timezone.localdate(),
            note="Intervisie Zuid",
            recorded_by=self.other_professional,
        )

    # --- DMOP ------------------------------------------------------------------------------------------

    @cached_property
    def family(self) -> Family:
        """A family of JGZ Noord registered by the owner (families belong to the organisation)."""
        return Family.objects.create(
            organisation=self.organisation,
            code="GEZIN-0007",
            registered_by=self.owner,
            child_birth_month=(timezone.localdate() - datetime.timedelta(days=60)).replace(day=1),
        )

    @cached_property
    def contact_moment(self) -> ContactMoment:
        """The 8-week double contact moment with one assessed domain (exports list assessments)."""
        moment = ContactMoment.objects.create(
            family=self.family,
            professional=self.owner,
            date=timezone.localdate(),
            kind=ContactMoment.Kind.EIGHT_WEEKS_DOUBLE,
        )
        DomainAssessment.objects.create(
            contact_moment=moment, domain=Domain.values[0], concern_level=ConcernLevel.values[0]
        )
        return moment

    @cached_property
    def plan_action(self) -> PlanAction:
        """An agreement with a referral at the 8-week contact moment."""
        return PlanAction.objects.create(
            assessment=self.contact_moment.assessments.get(),
            description="Opvoedsteun",
            referral=self.partner,
            referral_status=PlanAction.ReferralStatus.PROPOSED,
        )

    @cached_property
    def other_contact_moment(self) -> ContactMoment:
        """A contact moment of a family of JGZ Zuid (for mixed-id requests)."""
        family = Family.objects.create(
            organisation=self.other_professional.organisation,  # type: ignore[misc]
            code="GEZIN-0099",
            registered_by=self.other_professional,
        )
        return ContactMoment.objects.create(
            family=family,
            professional=self.other_professional,
            date=timezone.localdate(),
            kind=ContactMoment.Kind.THREE_MONTHS,
        )

    @cached_property
    def partner(self) -> Partner:
        """A partner on JGZ Noord's sociale kaart."""
        partner = Partner.objects.create(
            organisation=self.organisation, name="Opvoedsteunpunt Noord", contact="info@example.org"
        )
        PartnerDomain.objects.create(partner=partner, domain=Domain.values[0])
        return partner

    # --- notifications ---------------------------------------------------------------------------------

    @cached_property
    def notification(self) -> Notification:
        return Notification.objects.create(
            user=self.owner, subject="Matrixbericht-7", body="Alleen voor de eigenaar", url=""
        )
