"""Forms of the interviews, with plain-language messages in Dutch and English."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mentorwijs.protocol.models import load_protocol
from mentorwijs.web.interviews import models as i
from mentorwijs.web.interviews.errors import TranscriptFileError
from mentorwijs.web.interviews.transcripts import transcript_read, transcript_size_check
from mentorwijs.web.study.models import Region

PSEUDONYM = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"


def lang() -> str:
    """The page's language: "en" or "nl"."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def wave_choices() -> list[tuple[str, str]]:
    protocol = load_protocol()
    return [("", _("not tied to a wave"))] + [
        (code, f"{code} – {w.label.get(lang())}") for code, w in protocol.waves.items()
    ]


CONSENT_CHOICES = [
    ("", _("consent to the interview is already recorded")),
    ("paper", _("consent was given on paper: record it now")),
    ("spoken", _("consent was given spoken (recorded): record it now")),
]


class UploadForm(forms.Form):
    """A transcript and who it is of; the consent is checked by the service."""

    file = forms.FileField(
        label=_("Transcript"),
        help_text=_("A pseudonymised transcript as .txt (UTF-8 or Windows-1252), .docx or .odt, "
                    "at most 5 MB."),
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role of the person interviewed"), choices=i.ROLES)
    respondent_id = forms.RegexField(
        label=_("Pseudonym of the person interviewed"), regex=PSEUDONYM, max_length=32,
        help_text=_("For example S-7F3A09C2. Supervisors, employees and trainers must be in the "
                    "study; their region follows from it."),
        error_messages={"invalid": _("A pseudonym has letters, digits and hyphens only.")},
    )  # fmt: skip
    wave = forms.ChoiceField(label=_("Wave"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region (coordinators only)"), queryset=Region.objects.all(), required=False,
        help_text=_("For a coordinator; for everyone else the region is derived."),
    )  # fmt: skip
    held_on = forms.DateField(
        label=_("Date of the interview"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    consent_source = forms.ChoiceField(
        label=_("Consent to the interview"), choices=CONSENT_CHOICES, required=False,
        help_text=_("Consent is required. If the person gave it on paper or spoken, record it "
                    "here; it is stored with your name and the version of the consent text."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].choices = wave_choices()
        self.text = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            transcript_size_check(name=upload.name, size=upload.size)
            self.text = transcript_read(name=upload.name, data=upload.read())
        except TranscriptFileError as exc:
            raise forms.ValidationError(exc.message_nl if lang() == "nl" else str(exc)) from exc
        return upload


def codes_for_choice() -> Any:
    return i.Code.objects.filter(codable=True).order_by("position", "pk")


class SegmentForm(forms.Form):
    """Sentences first–last, one or more codes and a memo (the coding form, also without JS)."""

    first = forms.IntegerField(label=_("From sentence"), min_value=1)
    last = forms.IntegerField(label=_("To sentence"), min_value=1)
    codes = forms.ModelMultipleChoiceField(
        label=_("Codes"), queryset=i.Code.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one code.")},
    )  # fmt: skip
    memo = forms.CharField(
        label=_("Memo"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes_for_choice()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The last sentence cannot come before the first."))
        return data


class CodeForm(forms.Form):
    """A code of the codebook: names, definitions, parent, codable."""

    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    definition_nl = forms.CharField(
        label=_("Definition (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When to apply this code, and when not."),
    )  # fmt: skip
    definition_en = forms.CharField(
        label=_("Definition (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.ModelChoiceField(
        label=_("Under code"), queryset=i.Code.objects.none(), required=False,
        empty_label=_("— top level —"),
    )  # fmt: skip
    codable = forms.BooleanField(
        label=_("Can be applied to text (not only a group)"), required=False, initial=True
    )

    def __init__(self, *args: Any, exclude: i.Code | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = i.Code.objects.order_by("position", "pk")
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].label_from_instance = lambda c: c.name(lang())


class QdcImportForm(forms.Form):
    file = forms.FileField(
        label=_("REFI-QDA codebook (.qdc)"),
        help_text=_("Exported by ATLAS.ti, MAXQDA, NVivo, QualCoder or this site; at most 2 MB. "
                    "Codes with a known guid are updated, new ones added; nothing is deleted."),
    )  # fmt: skip
    lang = forms.ChoiceField(
        label=_("Language of the names in the file"),
        choices=[("nl", "Nederlands"), ("en", "English")],
    )


class RetrievalForm(forms.Form):
    """Filters of the retrieval page; every field may be empty."""

    code = forms.ChoiceField(label=_("Code"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("all roles")), *i.ROLES]
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False,
        empty_label=_("all regions"),
    )  # fmt: skip
    wave = forms.ChoiceField(label=_("Wave"), required=False)
    effect = forms.ChoiceField(
        label=_("Employment effect in the person's subgroup"), required=False,
        choices=[("", _("any")), ("larger", _("larger effect")),
                 ("smaller", _("smaller effect"))],
    )  # fmt: skip

    def __init__(self, *args: Any, effect_run: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if effect_run is None:
            del self.fields["effect"]
        else:
            self.fields["effect"].help_text = _(
                "From evaluation run #%(run)s: persons in a subgroup (e.g. temporary contract) "
                "whose employment effect was the larger or the smaller of their modifier."
            ) % {"run": effect_run}
        codes = i.Code.objects.order_by("position", "pk")
        self.fields["code"].choices = [("", _("all codes"))] + [
            (c.key, c.name(lang())) for c in codes
        ]
        self.fields["wave"].choices = [("", _("all waves")), *wave_choices()[1:]]
