"""Forms of the evaluation runs: the settings of a new run, and the cost–benefit prices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from mentorwijs.evaluation.steps import DEFAULT_SETTINGS
from mentorwijs.web.runs.costbenefit import ParameterSpec

QUEUE, NOW = "queue", "now"
GROUPS = {
    "delivery": _("Delivering the training"),
    "supervisors": _("Supervisors' time"),
    "employment": _("Employment, benefits and subsidies"),
    "municipality": _("Municipality"),
    "employer": _("Employer"),
    "mkba": _("Social cost–benefit analysis (MKBA)"),
    "discounting": _("Discounting"),
    "sroi": _("Social return on investment (SROI)"),
}
UNITS = {
    "EUR/hour": _("euros per hour"),
    "hour": _("hours"),
    "EUR/trainer/meeting": _("euros per trainer per meeting"),
    "EUR/meeting": _("euros per meeting"),
    "EUR/person/meeting": _("euros per person per meeting"),
    "EUR/person": _("euros per person"),
    "EUR/group": _("euros per group"),
    "EUR/trainer": _("euros per trainer"),
    "group": _("groups"),
    "hour/group": _("hours per group"),
    "share": _("share (0 to 1)"),
    "hour/week": _("hours per week"),
    "month": _("months"),
    "EUR/month": _("euros per month"),
    "hour/month": _("hours per month"),
    "EUR/placement": _("euros per placement"),
    "EUR/exit": _("euros per departure"),
    "share/year": _("share per year (0 to 1)"),
}


class RunForm(forms.Form):
    """The settings of a new run (the pipeline's own defaults, see docs/evaluation.md)."""

    imputations = forms.IntegerField(
        label=_("Imputations"), min_value=0, max_value=100,
        initial=DEFAULT_SETTINGS["imputations"],
        help_text=_("Multiple-imputation sensitivity analysis of the supervisors' outcomes; "
                    "0 skips it and makes the run much faster."),
    )  # fmt: skip
    k = forms.IntegerField(
        label=_("Matched controls per treated person"), min_value=1, max_value=50,
        initial=DEFAULT_SETTINGS["k"],
    )  # fmt: skip
    caliper = forms.FloatField(
        label=_("Caliper (SD of the logit of the propensity score)"), min_value=0.01,
        max_value=2.0, initial=DEFAULT_SETTINGS["caliper"], localize=True,
    )  # fmt: skip
    match_on_history = forms.BooleanField(
        label=_("Also match on employment and benefits before the start"), required=False
    )
    group_effect = forms.BooleanField(
        label=_("Random intercept per training group in the supervisors' models"), required=False
    )
    bootstrap = forms.IntegerField(
        label=_("Bootstrap draws for the event study"), min_value=0, max_value=2000,
        initial=DEFAULT_SETTINGS["bootstrap"],
        help_text=_("0: analytic intervals."),
    )  # fmt: skip
    cost_benefit_draws = forms.IntegerField(
        label=_("Draws of the probabilistic cost–benefit analysis"), min_value=0,
        max_value=100_000, initial=DEFAULT_SETTINGS["cost_benefit_draws"],
    )  # fmt: skip
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**31 - 1, initial=2023)

    def __init__(self, *args: Any, action: str = QUEUE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.action == NOW and (data.get("imputations") or data.get("bootstrap")):
            raise forms.ValidationError(
                _("Starting at once is for the quick route: set imputations and bootstrap "
                  "draws to 0, or queue the run."),
                code="too_slow",
            )  # fmt: skip
        return data

    def settings(self) -> dict[str, Any]:
        """The pipeline settings chosen (everything but the seed)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "seed"}


def _num(x: float) -> str:
    """A number as short as it is exact, in the page's format (0,0225 in Dutch)."""
    value: float | int = int(x) if float(x).is_integer() else round(x, 6)
    return number_format(value, decimal_pos=None, use_l10n=True, force_grouping=False)


def _help(spec: ParameterSpec) -> str:
    low, high = _num(spec.low), _num(spec.high)
    bounds = (
        _("between %(low)s and %(high)s") if spec.strict else _("from %(low)s to %(high)s")
    ) % {"low": low, "high": high}
    unit = UNITS.get(spec.unit, spec.unit)
    return f"{unit} · {_('default')} {_num(spec.value)} · {bounds}"


class CostBenefitForm(forms.Form):
    """A region and a value for every parameter; an empty field keeps the default."""

    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(
        self,
        *args: Any,
        specs: list[ParameterSpec],
        regions: dict[str, str],
        allow_all: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.specs = {s.name: s for s in specs}
        choices = [("", _("All regions"))] if allow_all else []
        self.fields["region"].choices = choices + [
            (pk, f"{pk} {name}") for pk, name in regions.items()
        ]
        self.fields["region"].required = not allow_all
        for s in specs:
            self.fields[s.name] = forms.FloatField(
                label=s.label, required=False, localize=True, initial=s.value, help_text=_help(s),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )  # fmt: skip

    def _check(self, spec: ParameterSpec, value: float | None) -> None:
        if value is None:
            return
        low, high = _num(spec.low), _num(spec.high)
        if spec.strict and not spec.low < value < spec.high:
            self.add_error(
                spec.name,
                _("Choose a value greater than %(low)s and less than %(high)s.")
                % {"low": low, "high": high},
            )
        elif not spec.strict and not spec.low <= value <= spec.high:
            self.add_error(
                spec.name,
                _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, spec in self.specs.items():
            if name in data:
                self._check(spec, data[name])
        return data

    def overrides(self) -> dict[str, float]:
        """The values that differ from the defaults."""
        return {
            name: float(self.cleaned_data[name])
            for name, spec in self.specs.items()
            if self.cleaned_data.get(name) is not None and self.cleaned_data[name] != spec.value
        }

    def changed(self) -> list[tuple[str, str]]:
        """(label, value) of the parameters changed for this analysis."""
        return [(self.specs[n].label, _num(v)) for n, v in self.overrides().items()]

    def groups(self) -> list[dict[str, Any]]:
        """The parameter fields by group, with each parameter's unit, default, range, source."""
        out: dict[str, dict[str, Any]] = {}
        for name, spec in self.specs.items():
            field = self[name]
            group = out.setdefault(
                spec.group,
                {"label": GROUPS.get(spec.group, spec.group), "rows": [], "open": False},
            )
            group["rows"].append({"field": field, "spec": spec})
            if field.errors or (self.is_bound and self.data.get(name) not in (None, "")
                                and self.is_valid() and name in self.overrides()):  # fmt: skip
                group["open"] = True
        return list(out.values())
