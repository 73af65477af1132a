"""Models of the registry that are not in the study data package.

Identities (names, e-mail addresses, phone numbers, postal addresses) live here, one-to-one
with the pseudonymised entity of the study app; the package export never reads them. They
are encrypted at rest with a key outside the database (``crypto``), and every read of them
is written to the audit trail (``reads``). Supervisors' and employees' identity rows also
hold how to address them (language and reading mode, :class:`PreferenceFields`), which is
not identifying and kept in clear. The registry also holds placements, municipalities, the
users' roles and the files of a bulk import (whose rows are encrypted too).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.registry import crypto
from mentorwijs.web.registry.fields import EncryptedJSONField, EncryptedTextField
from mentorwijs.web.registry.reads import IdentityManager, unlogged
from mentorwijs.web.study import models as study


class Municipality(models.Model):
    """A municipality of a labour-market region (CBS code, e.g. GM0263)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        study.Region, models.CASCADE, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Identity(models.Model):
    """Who a pseudonym is: readable only by roles with a need (see ``access``).

    The four values are encrypted at rest; ``name_digest`` and ``email_digest`` let the
    import find a person by exact name or e-mail address without decrypting everyone.
    """

    #: The fields that hold identifying values (encrypted; masked in the audit trail).
    VALUE_FIELDS = ("name", "email", "phone", "postal_address")

    name = EncryptedTextField(_("name"), max_length=200)
    email = EncryptedTextField(
        _("e-mail address"), max_length=254, blank=True, default="",
        validators=[validate_email],
    )  # fmt: skip
    phone = EncryptedTextField(_("phone number"), max_length=32, blank=True, default="")
    postal_address = EncryptedTextField(_("postal address"), blank=True, default="")
    name_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    email_digest = models.CharField(max_length=64, blank=True, default="", db_index=True)

    objects = IdentityManager()

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def __str__(self) -> str:
        # The pseudonym, never the name: this text lands in the audit trail.
        return str(self.pk)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_digest = crypto.lookup_digest(self.name or "")
        self.email_digest = crypto.lookup_digest(self.email or "")
        with unlogged():  # django-auditlog reads the old row to compare; not a person's read
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with unlogged():
            return super().delete(*args, **kwargs)


class PreferenceFields(models.Model):
    """How a respondent is addressed: the language and the reading mode of their invitations,
    letters and questionnaire pages (the person can still switch on their pages).

    Kept beside the contact details they go with, one row per person, but not identifying:
    stored in clear, shown in the audit trail to every researcher, and read without an
    identity-read entry (``preferences.preferences_of`` reads only these two columns).
    """

    #: The fields that are not identifying (clear text, visible in the audit trail).
    PREFERENCE_FIELDS = ("language", "easy_read")
    LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=LANGUAGES,
        default="nl",
        help_text=_(
            "The language of the invitation, the letter and the questionnaire pages. "
            "The person can switch on their pages."
        ),
    )
    easy_read = models.BooleanField(
        _("easy-read mode"),
        default=False,
        help_text=_(
            "One question per screen in short sentences, with pictograms and read-aloud: for "
            "people with low literacy or a mild intellectual disability. The person can "
            "switch on their pages."
        ),
    )

    class Meta:
        abstract = True


class SupervisorIdentity(Identity, PreferenceFields):
    supervisor = models.OneToOneField(
        study.Supervisor, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta(Identity.Meta):
        verbose_name = _("identity of a supervisor")
        verbose_name_plural = _("identities of supervisors")


class EmployeeIdentity(Identity, PreferenceFields):
    employee = models.OneToOneField(
        study.Employee, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta(Identity.Meta):
        verbose_name = _("identity of an employee")
        verbose_name_plural = _("identities of employees")


class TrainerIdentity(Identity):
    trainer = models.OneToOneField(
        study.Trainer, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta(Identity.Meta):
        verbose_name = _("identity of a trainer")
        verbose_name_plural = _("identities of trainers")


class OrganisationIdentity(Identity):
    organisation = models.OneToOneField(
        study.Organisation, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta(Identity.Meta):
        verbose_name = _("identity of an organisation")
        verbose_name_plural = _("identities of organisations")


class Placement(models.Model):
    """An employee at an employer under a supervisor, from start to end."""

    CONTRACTS = [
        ("permanent", _("permanent")),
        ("temporary", _("temporary")),
        ("trial", _("trial placement")),
        ("sheltered", _("sheltered work")),
        ("other", _("other")),
    ]
    employee = models.ForeignKey(
        study.Employee, models.CASCADE, related_name="placements", verbose_name=_("employee")
    )
    organisation = models.ForeignKey(
        study.Organisation, models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    supervisor = models.ForeignKey(
        study.Supervisor, models.PROTECT, related_name="placements", verbose_name=_("supervisor")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours a week"), max_digits=4, decimal_places=1)
    contract = models.CharField(_("contract type"), max_length=16, choices=CONTRACTS)
    wage_subsidy = models.BooleanField(_("wage subsidy"), default=False)
    job_coach = models.BooleanField(_("job coach"), default=False)

    class Meta:
        verbose_name = _("placement")
        ordering = ["employee_id", "start_date"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.start_date}"


class Role(models.Model):
    """A user's role and its scope, like REDCap's data access groups.

    A user may hold several roles (a coordinator of two regions holds two rows).
    """

    COORDINATOR = "coordinator"
    TRAINER = "trainer"
    RESEARCHER = "researcher"
    EMPLOYER_CONTACT = "employer_contact"
    ROLES = [
        (COORDINATOR, _("coordinator")),
        (TRAINER, _("trainer")),
        (RESEARCHER, _("researcher")),
        (EMPLOYER_CONTACT, _("employer contact")),
    ]
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="study_roles", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLES)
    region = models.ForeignKey(
        study.Region, models.CASCADE, null=True, blank=True, verbose_name=_("region")
    )
    trainer = models.ForeignKey(
        study.Trainer, models.CASCADE, null=True, blank=True, verbose_name=_("trainer")
    )
    organisation = models.ForeignKey(
        study.Organisation, models.CASCADE, null=True, blank=True, verbose_name=_("organisation")
    )
    identity_grant = models.BooleanField(
        _("may read identities"),
        default=False,
        help_text=_("Researchers only: an explicit grant to read names and contact details."),
    )

    class Meta:
        verbose_name = _("role")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="coordinator", region__isnull=False)
                    | models.Q(role="trainer", trainer__isnull=False)
                    | models.Q(role="researcher")
                    | models.Q(role="employer_contact", organisation__isnull=False)
                ),
                name="role_has_its_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.region_id or self.trainer_id or self.organisation_id or ""
        return f"{self.user} {self.role} {scope}".strip()


class ImportBatch(models.Model):
    """An uploaded file on its way in: rows as text, the column mapping, then committed."""

    KINDS = [
        ("organisations", _("organisations")),
        ("supervisors", _("supervisors")),
        ("employees", _("employees")),
        ("training_groups", _("training groups")),
    ]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    region = models.ForeignKey(study.Region, models.CASCADE, verbose_name=_("region"))
    kind = models.CharField(_("what the file holds"), max_length=20, choices=KINDS)
    filename = models.CharField(_("file"), max_length=200)
    header = models.JSONField(default=list)
    rows = EncryptedJSONField(default=list)  # names and addresses: encrypted like identities
    mapping = models.JSONField(default=dict)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
