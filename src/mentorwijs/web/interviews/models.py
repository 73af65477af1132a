"""Interviews: transcripts, the codebook, coders and coded segments.

A transcript is pseudonymised text (the researcher removes names before uploading); the
person is known by role and pseudonym only. A coded :class:`Segment` is a run of whole
sentences of one transcript, coded by one :class:`Coder` with one or more codes
(:class:`SegmentCode`) and a memo. Two coders of the same transcript code it independently:
a double-coding, compared on the comparison page. The study data package's
``interview_segments`` table has one row per segment and code.

Pseudonymised is not anonymous (a transcript can still name a place, an employer, a
colleague), so the transcript and the name of its file, each segment's passage (a copy of
its sentences, kept so that the package, the exports and the quotes need no transcript) and
each memo are encrypted at rest with the identity key
(:class:`~mentorwijs.web.registry.fields.EncryptedTextField`, docs/security.md); Python code
sees the clear text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.registry.fields import EncryptedTextField
from mentorwijs.web.study.models import Region

ROLES = [
    ("trainer", _("trainer")),
    ("supervisor", _("supervisor")),
    ("employee", _("employee")),
    ("coordinator", _("coordinator")),
]
ORIGINS = [("deductive", _("deductive (MIDI)")), ("inductive", _("inductive"))]


class Code(models.Model):
    """A code of the codebook: shipped (deductive, MIDI) or added by a researcher."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    guid = models.CharField(_("REFI-QDA guid"), max_length=38, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    definition_nl = models.TextField(_("definition (Dutch)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent code"),
    )  # fmt: skip
    codable = models.BooleanField(_("can be applied to text"), default=True)
    color = models.CharField(_("colour"), max_length=7, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=ORIGINS, default="inductive")
    item = models.CharField(_("questionnaire item"), max_length=64, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.key

    def name(self, lang: str = "nl") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_nl

    def definition(self, lang: str = "nl") -> str:
        return self.definition_en if lang == "en" and self.definition_en else self.definition_nl


class Coder(models.Model):
    """A researcher as a coder, known in exports by a pseudonym such as ``coder-1``."""

    label = models.CharField(_("coder"), max_length=16, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="interview_coder", verbose_name=_("user"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("coder")
        verbose_name_plural = _("coders")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class Interview(models.Model):
    """One interview: who (role and pseudonym), when (wave), where (region), the transcript."""

    interview_id = models.CharField(_("interview"), max_length=32, primary_key=True)
    respondent_id = models.CharField(_("pseudonym"), max_length=32)
    role = models.CharField(_("role"), max_length=16, choices=ROLES)
    wave = models.CharField(_("wave"), max_length=8, blank=True)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    held_on = models.DateField(_("date of the interview"), null=True, blank=True)
    filename = EncryptedTextField(_("file"), max_length=200, blank=True)  # may hold a name
    text = EncryptedTextField(_("transcript"), blank=True)
    from_package = models.BooleanField(
        _("loaded from a study data package (coded passages only)"), default=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-uploaded_at", "interview_id"]

    def __str__(self) -> str:
        return self.interview_id


class Segment(models.Model):
    """A coded passage: whole sentences ``start``–``end`` (characters) of one transcript."""

    interview = models.ForeignKey(Interview, models.CASCADE, related_name="segments")
    segment_no = models.PositiveIntegerField(_("segment"))
    coder = models.ForeignKey(Coder, models.PROTECT, related_name="segments")
    start = models.PositiveIntegerField(_("start (character)"))
    end = models.PositiveIntegerField(_("end (character)"))
    text = EncryptedTextField(_("passage"))
    memo = EncryptedTextField(_("memo"), blank=True)
    created_at = models.DateTimeField(_("coded at"), default=timezone.now)

    class Meta:
        verbose_name = _("coded segment")
        verbose_name_plural = _("coded segments")
        ordering = ["interview_id", "start", "segment_no"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "segment_no"], name="segment_no_key"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="segment_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview_id} #{self.segment_no}"


class SegmentCode(models.Model):
    """One code applied to one segment."""

    segment = models.ForeignKey(Segment, models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, models.PROTECT, related_name="codings")

    class Meta:
        verbose_name = _("applied code")
        verbose_name_plural = _("applied codes")
        constraints = [models.UniqueConstraint(fields=["segment", "code"], name="segment_code_key")]

    def __str__(self) -> str:
        return f"{self.segment} {self.code_id}"
