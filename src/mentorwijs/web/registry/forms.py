"""Forms: validation at the boundary, with plain-language messages in Dutch and English."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorwijs.web.registry.models import ImportBatch, Municipality, Placement, PreferenceFields
from mentorwijs.web.registry.preferences import Preferences
from mentorwijs.web.registry.services import MEETINGS_PER_GROUP, IdentityData, MeetingPlan
from mentorwijs.web.study import models as m

SEX_CHOICES = [("", "—"), ("f", _("woman")), ("m", _("man")), ("x", _("other or unknown"))]
SECTORS = [
    ("public", _("public sector")),
    ("industry", _("industry")),
    ("retail", _("retail")),
    ("care", _("care")),
    ("hospitality", _("hospitality")),
    ("services", _("services")),
    ("agriculture", _("agriculture")),
    ("construction", _("construction")),
    ("logistics", _("logistics")),
    ("other", _("other")),
]
SIZES = [
    ("small", _("small (<50)")),
    ("medium", _("medium (50-249)")),
    ("large", _("large (250+)")),
]
DISABILITIES = [
    ("intellectual", _("intellectual")),
    ("psychological", _("psychological")),
    ("physical", _("physical")),
    ("low_education", _("low education or learning delay")),
    ("other", _("other")),
]
COST_CATEGORIES = [
    ("trainer", _("trainers")),
    ("venue", _("venue")),
    ("meals", _("meals")),
    ("materials", _("materials")),
    ("licence", _("licence")),
    ("coordination", _("coordination")),
    ("supervisor_time", _("supervisors' time")),
    ("other", _("other")),
]
PAYERS = [
    ("municipality", _("municipality")),
    ("employer", _("employer")),
    ("provider", _("training provider")),
    ("other", _("other")),
]
UNITS = [
    ("hour", _("hour")),
    ("meeting", _("meeting")),
    ("person", _("person")),
    ("group", _("group")),
    ("item", _("item")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,30}")
MUNICIPALITY_CODE = re.compile(r"GM[0-9]{4}")


class IdentityFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Enter a phone number of digits, spaces, hyphens and an optional + at the start.")
            )
        return phone

    def identity(self) -> IdentityData:
        d = self.cleaned_data
        return IdentityData(d["name"], d["email"], d["phone"], d["postal_address"])


class PreferenceForm(forms.Form):
    """The language and reading mode of a supervisor's or employee's invitations and pages."""

    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=PreferenceFields.LANGUAGES,
        initial="nl",
        required=False,  # see preferences()
        help_text=PreferenceFields._meta.get_field("language").help_text,
    )
    easy_read = forms.BooleanField(
        label=_("Easy-read mode"),
        required=False,
        help_text=PreferenceFields._meta.get_field("easy_read").help_text,
    )

    def preferences(self) -> Preferences | None:
        """The chosen preferences; None when the form came without them (a page opened
        before they existed): then the stored ones stay as they are."""
        if "language" not in self.data:
            return None
        d = self.cleaned_data
        return Preferences(language=d["language"] or "nl", easy_read=d["easy_read"])


class TrainingGroupForm(forms.Form):
    region = forms.ModelChoiceField(m.Region.objects.none(), label=_("Region"), empty_label=None)
    provider = forms.ChoiceField(label=_("Training provider"))
    trainer_1 = forms.ChoiceField(label=_("First trainer"))
    trainer_2 = forms.ChoiceField(label=_("Second trainer"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=m.MODE_CHOICES)
    capacity = forms.IntegerField(
        label=_("Places (8 to 18)"), min_value=8, max_value=18, initial=12
    )
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Link for online meetings"), required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, regions: Any, providers: Any, trainers: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions
        self.fields["provider"].choices = providers
        self.fields["trainer_1"].choices = trainers
        self.fields["trainer_2"].choices = [("", "—"), *trainers]
        for no in range(1, MEETINGS_PER_GROUP + 1):
            self.fields[f"date_{no}"] = forms.DateField(
                label=_("Date of meeting %(no)s") % {"no": no},
                required=no == 1,
                widget=DATE,
                help_text=_("Empty: one week after the meeting before.") if no > 1 else "",
            )

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if d.get("trainer_2") and d.get("trainer_2") == d.get("trainer_1"):
            self.add_error("trainer_2", _("Choose two different trainers."))
        providers = dict(
            m.Trainer.objects.filter(pk__in=[d.get("trainer_1"), d.get("trainer_2")]).values_list(
                "pk", "provider_id"
            )
        )
        for field in ("trainer_1", "trainer_2"):
            if d.get(field) and providers.get(d[field]) != d.get("provider"):
                self.add_error(field, _("This trainer does not work for the chosen provider."))
        previous = None
        for no in range(1, MEETINGS_PER_GROUP + 1):
            day = d.get(f"date_{no}") or (previous + timedelta(days=7) if previous else None)
            if previous and day and day <= previous:
                self.add_error(f"date_{no}", _("A meeting must come after the one before."))
            d[f"date_{no}"] = previous = day
        return d

    def meetings(self) -> list[MeetingPlan]:
        d = self.cleaned_data
        return [
            MeetingPlan(d[f"date_{no}"], d["start_time"], d["place"], d["link"])
            for no in range(1, MEETINGS_PER_GROUP + 1)
        ]


class EnrolForm(forms.Form):
    supervisors = forms.MultipleChoiceField(
        label=_("Supervisors to enrol"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["supervisors"].choices = choices


class AttendanceForm(forms.Form):
    supervisor = forms.CharField(max_length=32)
    present = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class MeetingLogForm(forms.Form):
    held = forms.BooleanField(label=_("The meeting took place"), required=False)
    parts = forms.TypedMultipleChoiceField(
        label=_("Parts delivered"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=0, max_value=600, required=False
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, planned_parts: int, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["parts"].choices = [
            (i, _("Part %(no)s") % {"no": i}) for i in range(1, planned_parts + 1)
        ]


class SupervisorForm(IdentityFields, PreferenceForm):
    organisation = forms.ChoiceField(label=_("Employer"))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=16, max_value=80, required=False)
    years_experience = forms.IntegerField(
        label=_("Years of experience as a supervisor"), min_value=0, max_value=60, required=False
    )
    employees_guided = forms.IntegerField(
        label=_("Employees with a work disability guided"), min_value=0, required=False
    )

    field_order = ("name", "email", "phone", "postal_address", "organisation")

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organisation"].choices = organisations

    def characteristics(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("sex", "age", "years_experience", "employees_guided")}


class CostForm(forms.Form):
    region = forms.ModelChoiceField(m.Region.objects.none(), label=_("Region"), empty_label=None)
    training_group = forms.ChoiceField(label=_("Training group"), required=False)
    item = forms.CharField(label=_("What was paid for"), max_length=64)
    category = forms.ChoiceField(label=_("Category"), choices=COST_CATEGORIES)
    payer = forms.ChoiceField(label=_("Who paid"), choices=PAYERS)
    quantity = forms.FloatField(label=_("Quantity"), min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS)
    unit_cost = forms.DecimalField(
        label=_("Euros per unit"), min_value=0, max_digits=12, decimal_places=2
    )
    source = forms.CharField(label=_("Source (invoice, quote)"), max_length=200, required=False)

    def __init__(self, *args: Any, regions: Any, groups: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions
        self.fields["training_group"].choices = [("", _("the whole programme")), *groups]


class ImportUploadForm(forms.Form):
    region = forms.ModelChoiceField(m.Region.objects.none(), label=_("Region"), empty_label=None)
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportBatch.KINDS)
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, regions: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions

    def clean_file(self) -> Any:
        """Refuse a file over the size limit before it is read into memory."""
        from mentorwijs.web.registry.imports.reading import MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; split it into smaller files.")
            )
        return upload


class MappingForm(forms.Form):
    """Which column of the file holds which field."""

    def __init__(self, *args: Any, fields: Any, header: list[str], **kw: Any):
        super().__init__(*args, **kw)
        choices = [("", _("— not in the file —")), *((h, h) for h in header)]
        for field in fields:
            label = (
                _("%(field)s (required)") % {"field": field.label}
                if field.required
                else field.label
            )
            self.fields[f"map_{field.name}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {k.removeprefix("map_"): v for k, v in self.cleaned_data.items()}


class EmployeeForm(IdentityFields, PreferenceForm):
    supervisor = forms.ChoiceField(label=_("Supervisor"))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=15, max_value=70, required=False)
    disability = forms.ChoiceField(
        label=_("Kind of work disability"), choices=[("", "—"), *DISABILITIES], required=False
    )
    consent_questionnaire = forms.BooleanField(
        label=_("Consents to the questionnaires"), required=False
    )
    consent_register = forms.BooleanField(
        label=_("Consents to linkage with the registers"), required=False
    )

    field_order = ("name", "email", "phone", "postal_address", "supervisor")

    def __init__(self, *args: Any, supervisors: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["supervisor"].choices = supervisors

    def characteristics(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = ("sex", "age", "disability", "consent_questionnaire", "consent_register")
        return {k: d[k] for k in keys}


class PlacementForm(forms.Form):
    employee = forms.ChoiceField(label=_("Employee"))
    organisation = forms.ChoiceField(label=_("Employer"))
    supervisor = forms.ChoiceField(label=_("Supervisor"))
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DATE, help_text=_("Empty: still working there.")
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), max_digits=4, decimal_places=1, min_value=Decimal("0.5")
    )
    contract = forms.ChoiceField(label=_("Contract type"), choices=Placement.CONTRACTS)
    wage_subsidy = forms.BooleanField(label=_("With wage subsidy"), required=False)
    job_coach = forms.BooleanField(label=_("With a job coach"), required=False)

    def __init__(
        self,
        *args: Any,
        employees: list[tuple[str, str]] | None,
        organisations: list[tuple[str, str]],
        supervisors: list[tuple[str, str]],
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        if employees is None:  # changing a placement: its employee stays
            del self.fields["employee"]
        else:
            self.fields["employee"].choices = employees
        self.fields["organisation"].choices = organisations
        self.fields["supervisor"].choices = supervisors

    def clean_hours_per_week(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours_per_week"]
        if hours > 60:
            raise forms.ValidationError(_("A working week has at most 60 hours."))
        return hours

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        start, end = d.get("start_date"), d.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot come before the start date."))
        supervisor, employer = d.get("supervisor"), d.get("organisation")
        if supervisor and employer:
            works_at = m.Supervisor.objects.filter(pk=supervisor).values_list(
                "organisation_id", flat=True
            )
            if list(works_at) != [employer]:
                self.add_error(
                    "supervisor", _("This supervisor does not work for the chosen employer.")
                )
        return d

    def placement(self) -> dict[str, Any]:
        """The placement's own fields (not the employee, employer or supervisor)."""
        keys = ("start_date", "end_date", "hours_per_week", "contract", "wage_subsidy", "job_coach")
        return {k: self.cleaned_data[k] for k in keys}


class MunicipalityForm(forms.Form):
    code = forms.CharField(
        label=_("CBS code"), max_length=8, help_text=_("GM and four digits, such as GM0363.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.ModelChoiceField(m.Region.objects.none(), label=_("Region"), empty_label=None)

    def __init__(self, *args: Any, regions: Any, change: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions
        if change:  # the code is the key: it stays
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if self.fields["code"].disabled:
            return code
        if not MUNICIPALITY_CODE.fullmatch(code):
            raise forms.ValidationError(_("Enter GM and four digits, such as GM0363."))
        if Municipality.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("A municipality with this code is already registered."))
        return code

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())
