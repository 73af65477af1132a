"""Models of the study data: one per table of the study data package.

Tables whose package key is a single pseudonym use it as the primary key, so a foreign key's
column holds the same pseudonym as the package (``supervisor_id``, ``region_id``, …). Tables
with a composite package key get an automatic id plus a unique constraint on that key.
Identities (names, e-mail addresses) never live in these models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ROLE_CHOICES = [("supervisor", _("supervisor")), ("employee", _("employee"))]
MODE_CHOICES = [("in_person", _("in person")), ("online", _("online"))]


class StudyMeta(models.Model):
    """The package metadata of the loaded study (extract window, protocol version, …)."""

    meta = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("study metadata")


class Region(models.Model):
    region_id = models.CharField(_("region"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("region")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.name}"


class Organisation(models.Model):
    KINDS = [
        ("municipality", _("municipality")),
        ("employer", _("employer")),
        ("provider", _("training provider")),
    ]
    organisation_id = models.CharField(_("organisation"), max_length=32, primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("region"))
    sector = models.CharField(_("sector"), max_length=32, blank=True, null=True)
    size_class = models.CharField(_("size"), max_length=8, blank=True, null=True)
    sheltered = models.BooleanField(_("sheltered work"), null=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["organisation_id"]

    def __str__(self) -> str:
        return self.organisation_id


class Trainer(models.Model):
    trainer_id = models.CharField(_("trainer"), max_length=32, primary_key=True)
    provider = models.ForeignKey(Organisation, models.PROTECT, verbose_name=_("provider"))

    class Meta:
        verbose_name = _("trainer")
        ordering = ["trainer_id"]

    def __str__(self) -> str:
        return self.trainer_id


class TrainingGroup(models.Model):
    training_group_id = models.CharField(_("training group"), max_length=32, primary_key=True)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("region"))
    provider = models.ForeignKey(Organisation, models.PROTECT, verbose_name=_("provider"))
    trainer_1 = models.ForeignKey(
        Trainer, models.PROTECT, related_name="+", verbose_name=_("first trainer")
    )
    trainer_2 = models.ForeignKey(
        Trainer, models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("second trainer"),
    )  # fmt: skip
    mode = models.CharField(_("mode"), max_length=16, choices=MODE_CHOICES)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    start_date = models.DateField(_("start date"))

    class Meta:
        verbose_name = _("training group")
        ordering = ["training_group_id"]

    def __str__(self) -> str:
        return self.training_group_id


class Meeting(models.Model):
    training_group = models.ForeignKey(TrainingGroup, models.CASCADE, related_name="meetings")
    meeting_no = models.PositiveSmallIntegerField(_("meeting"))
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=16, choices=MODE_CHOICES)
    held = models.BooleanField(_("held"))
    planned_parts = models.PositiveSmallIntegerField(_("planned parts"))
    delivered_parts = models.PositiveSmallIntegerField(_("delivered parts"), null=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True)
    # Registry fields, not in the study data package: when and where, and the trainer's log.
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    link = models.URLField(_("link (online)"), blank=True, default="")
    parts_delivered = models.JSONField(_("parts delivered"), default=list, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, default="")

    class Meta:
        verbose_name = _("meeting")
        ordering = ["training_group_id", "meeting_no"]
        constraints = [
            models.UniqueConstraint(fields=["training_group", "meeting_no"], name="meeting_key")
        ]

    def __str__(self) -> str:
        return f"{self.training_group_id} #{self.meeting_no}"


class Supervisor(models.Model):
    supervisor_id = models.CharField(_("supervisor"), max_length=32, primary_key=True)
    organisation = models.ForeignKey(Organisation, models.PROTECT, verbose_name=_("employer"))
    training_group = models.ForeignKey(
        TrainingGroup, models.SET_NULL, null=True, blank=True, related_name="supervisors"
    )
    sex = models.CharField(_("sex"), max_length=1, blank=True, null=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True)
    employees_guided = models.PositiveIntegerField(_("employees guided"), null=True)

    class Meta:
        verbose_name = _("supervisor")
        ordering = ["supervisor_id"]

    def __str__(self) -> str:
        return self.supervisor_id


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    supervisor = models.ForeignKey(Supervisor, models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "supervisor"], name="attendance_key")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.supervisor_id}"


class RegisterPerson(models.Model):
    person_id = models.CharField(max_length=32, primary_key=True)
    treated = models.BooleanField()
    start_month = models.CharField(max_length=7, null=True, blank=True)
    region = models.ForeignKey(Region, models.PROTECT)
    sex = models.CharField(max_length=1)
    birth_year = models.PositiveSmallIntegerField()
    education = models.CharField(max_length=8, null=True, blank=True)
    migration_background = models.BooleanField(null=True)
    sector = models.CharField(max_length=32, null=True, blank=True)
    employer_size = models.CharField(max_length=8, null=True, blank=True)
    sheltered = models.BooleanField(null=True)
    temporary_contract = models.BooleanField(null=True)
    years_in_job = models.FloatField(null=True)
    hourly_wage = models.FloatField(null=True)

    class Meta:
        verbose_name = _("register person")
        ordering = ["person_id"]


class Employee(models.Model):
    employee_id = models.CharField(_("employee"), max_length=32, primary_key=True)
    supervisor = models.ForeignKey(Supervisor, models.PROTECT, related_name="employees")
    sex = models.CharField(_("sex"), max_length=1, blank=True, null=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True)
    disability = models.CharField(_("disability"), max_length=32, blank=True, null=True)
    consent_questionnaire = models.BooleanField(_("consent to the questionnaire"))
    consent_register = models.BooleanField(_("consent to register linkage"))
    register_person = models.OneToOneField(
        RegisterPerson, models.SET_NULL, null=True, blank=True, related_name="employee"
    )

    class Meta:
        verbose_name = _("employee")
        ordering = ["employee_id"]

    def __str__(self) -> str:
        return self.employee_id


class Invitation(models.Model):
    """A respondent's invitation to a wave: exactly one of supervisor or employee is set."""

    supervisor = models.ForeignKey(Supervisor, models.CASCADE, null=True, blank=True)
    employee = models.ForeignKey(Employee, models.CASCADE, null=True, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=ROLE_CHOICES)
    wave = models.CharField(_("wave"), max_length=8)
    invited_at = models.DateTimeField(_("invited at"))
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "wave"], name="invitation_supervisor"),
            models.UniqueConstraint(fields=["employee", "wave"], name="invitation_employee"),
            models.CheckConstraint(
                condition=(
                    models.Q(role="supervisor", supervisor__isnull=False, employee__isnull=True)
                    | models.Q(role="employee", employee__isnull=False, supervisor__isnull=True)
                ),
                name="invitation_one_respondent",
            ),
        ]


class Response(models.Model):
    """One answer to one item."""

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="responses")
    instrument = models.CharField(max_length=64)
    item = models.CharField(max_length=64)
    value = models.FloatField(null=True)
    text = models.TextField(null=True, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "instrument", "item"], name="response_key"
            )
        ]


class RegisterMonth(models.Model):
    person = models.ForeignKey(RegisterPerson, models.CASCADE, related_name="months")
    month = models.CharField(max_length=7)
    hours = models.FloatField()
    wage = models.FloatField()
    benefit = models.CharField(max_length=24)
    benefit_amount = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="month_key")]


class Cost(models.Model):
    cost_id = models.CharField(max_length=64, primary_key=True)
    training_group = models.ForeignKey(
        TrainingGroup, models.CASCADE, null=True, blank=True, related_name="costs"
    )
    region = models.ForeignKey(Region, models.PROTECT)
    item = models.CharField(_("item"), max_length=64)
    category = models.CharField(_("category"), max_length=32)
    payer = models.CharField(_("payer"), max_length=32)
    quantity = models.FloatField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=16)
    unit_cost = models.DecimalField(_("unit cost (euro)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("cost line")
        ordering = ["cost_id"]

    def __str__(self) -> str:
        return self.cost_id
