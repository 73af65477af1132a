"""Forms of the study pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AnswersExportForm(forms.Form):
    """What a researcher chooses for a download of the answers."""

    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("sav", _("SPSS (.sav)")),
            ("dta", _("Stata (.dta)")),
            ("csv", _("CSV (any spreadsheet or R)")),
        ],
    )
    shape = forms.ChoiceField(
        label=_("Shape"),
        choices=[
            ("long", _("Long: one row per respondent and wave")),
            ("wide", _("Wide: one row per respondent, variables such as kn1_T0")),
        ],
    )
    lang = forms.ChoiceField(
        label=_("Language of the labels and the codebook"),
        choices=[("nl", "Nederlands"), ("en", "English")],
    )
