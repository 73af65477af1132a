"""Models of the registry that are not in the study data package.

Identities (names, e-mail addresses, phone numbers, postal addresses) live here, one-to-one
with the pseudonymised entity of the study app; the package export never reads them. So do
placements, municipalities, the users' roles and the files of a bulk import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    """Who a pseudonym is: readable only by roles with a need (see ``access``)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True, default="")
    phone = models.CharField(_("phone number"), max_length=32, blank=True, default="")
    postal_address = models.TextField(_("postal address"), blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # The pseudonym, never the name: this text lands in the audit trail.
        return str(self.pk)


class SupervisorIdentity(Identity):
    supervisor = models.OneToOneField(
        study.Supervisor, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta:
        verbose_name = _("identity of a supervisor")
        verbose_name_plural = _("identities of supervisors")


class EmployeeIdentity(Identity):
    employee = models.OneToOneField(
        study.Employee, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta:
        verbose_name = _("identity of an employee")
        verbose_name_plural = _("identities of employees")


class TrainerIdentity(Identity):
    trainer = models.OneToOneField(
        study.Trainer, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta:
        verbose_name = _("identity of a trainer")
        verbose_name_plural = _("identities of trainers")


class OrganisationIdentity(Identity):
    organisation = models.OneToOneField(
        study.Organisation, models.CASCADE, primary_key=True, related_name="identity"
    )

    class Meta:
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
    rows = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"
