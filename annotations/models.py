"""Timestamped moments on a recording, the VIB vocabulary they use, and stills/clips/reels made from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from annotations.timecode import format_ms

if TYPE_CHECKING:
    from organisations.models import User

# Long enough for a considered piece of feedback, short enough to stay a remark about one moment.
TEXT_MAX_LENGTH = 2000

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f77b4."))


class Category(models.Model):
    """A term of the controlled vocabulary a course version uses: a VIB contact principle or a working point.

    A version has two vocabularies, chosen by the recording's kind: the parent-child interaction of the
    home-visit film, and the professional's guidance of the parents in the review conversation.
    """

    class RecordingKind(models.TextChoices):
        # The same values as recordings.Recording.Kind.
        HOME_VISIT = "home_visit", _("Home visit")
        REVIEW_CONVERSATION = "review_conversation", _("Review conversation")

    course_version = models.ForeignKey(
        "courses.CourseVersion",
        on_delete=models.CASCADE,
        related_name="annotation_categories",
        verbose_name=_("course version"),
    )
    name = models.CharField(_("name"), max_length=80)
    colour = models.CharField(_("colour"), max_length=7, validators=[colour_validator])
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    recording_kind = models.CharField(
        _("used on"),
        max_length=30,
        choices=RecordingKind.choices,
        default=RecordingKind.HOME_VISIT,
        help_text=_("The vocabulary of the home-visit film or of the review conversation (nabespreking)."),
    )
    is_contact_principle = models.BooleanField(
        _("contact principle"),
        default=True,
        help_text=_("Annotations of a contact principle are marked on (attuned contact) or off (missed)."),
    )

    class Meta:
        ordering = ["course_version", "order", "name"]
        verbose_name = _("annotation category")
        verbose_name_plural = _("annotation categories")
        constraints = [
            models.UniqueConstraint(
                fields=["course_version", "recording_kind", "name"], name="unique_category_name_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AnnotationQuerySet(models.QuerySet["Annotation"]):
    def visible_to(self, user: User) -> AnnotationQuerySet:
        """Drafts are private to their author: a supervisor's feedback reaches the trainee when published."""
        return self.filter(Q(visibility=Annotation.Visibility.PUBLISHED) | Q(author=user))

    def for_workspace(self) -> AnnotationQuerySet:
        # Exactly what the list needs in one query: the author's name comes along, categories are few and
        # sent separately, replies and links are plain ids.
        return self.select_related("author").order_by("start_ms", "pk")


class Annotation(models.Model):
    """One moment (or range) in a recording with a remark about it, or a reply in its thread."""

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", _("Own analysis")
        FEEDBACK = "feedback", _("Supervisor feedback")
        QUESTION = "question", _("Question")
        REPLY = "reply", _("Reply")

    class Visibility(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Contact(models.TextChoices):
        ON = "on", _("On: attuned contact")
        OFF = "off", _("Off: a missed moment")

    recording = models.ForeignKey(
        "recordings.Recording",
        on_delete=models.CASCADE,
        related_name="annotations",
        verbose_name=_("recording"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="annotations",
        verbose_name=_("author"),
    )
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        verbose_name=_("category"),
    )
    text = models.TextField(_("text"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    # "Aan" or "uit" for a contact principle, so development per principle shows over the films.
    contact = models.CharField(_("contact"), max_length=3, choices=Contact.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    # A pair on the same recording, e.g. the child's initiative and the parent's reception of it.
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_from",
        verbose_name=_("linked to"),
    )
    resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["recording", "start_ms", "pk"]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        indexes = [models.Index(fields=["recording", "start_ms"], name="annotation_recording_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_ms__isnull=True) | Q(end_ms__gt=models.F("start_ms")),
                name="annotation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="reply"), name="annotation_reply_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.start_ms} ms"

    @property
    def is_draft(self) -> bool:
        return self.visibility == self.Visibility.DRAFT


class ReviewMedia(models.Model):
    """A still, clip or reel cut from a recording, e.g. to show the parents a positive moment.

    Stored under the recording's random storage prefix and protected like the film itself.
    """

    class Kind(models.TextChoices):
        STILL = "still", _("Still")
        CLIP = "clip", _("Clip")
        REEL = "reel", _("Review reel")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    EXTENSIONS = {Kind.STILL: "jpg", Kind.CLIP: "mp4", Kind.REEL: "mp4"}

    recording = models.ForeignKey(
        "recordings.Recording",
        on_delete=models.CASCADE,
        related_name="review_media",
        verbose_name=_("recording"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A still uses start_ms; a clip start_ms..end_ms; a reel its list of [start_ms, end_ms] moments.
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"), null=True, blank=True)
    moments = models.JSONField(_("moments"), default=list, blank=True)
    key = models.CharField(max_length=255, blank=True, default="")
    size = models.BigIntegerField(_("size"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # How a clip was cut: "copy" (stream copy from a keyframe) or "encode" (frame-accurate re-encode).
    method = models.CharField(max_length=10, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review media")
        verbose_name_plural = _("review media")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.position_label}"

    @property
    def position_label(self) -> str:
        """Where in the film, as the player writes it ("1:02.450"), not a raw millisecond count."""
        return format_ms(self.start_ms)

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.Kind(self.kind)]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
