"""Cost–benefit parameters: pydantic models of the shipped YAML, its loader and updaters.

The file ``cost_parameters.yaml`` holds the Dutch defaults, each with a value, unit, a
low–high range (read as a central 95 % interval), a distribution family for the
probabilistic analysis, a source and a date. Indexed legal amounts (the social-assistance
norm, the minimum wage) keep their history; :func:`with_norm` and :func:`with_dated_value`
update them in one place and return a new, validated object.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mentorwijs.protocol.errors import InvalidParameterFileError
from mentorwijs.protocol.models import Text

Distribution = Literal["fixed", "beta", "gamma", "lognormal", "normal"]
Actor = Literal["municipality", "central_government", "employer", "employee", "society"]
ParameterGroup = Literal[
    "delivery",
    "supervisors",
    "employment",
    "municipality",
    "employer",
    "mkba",
    "discounting",
    "sroi",
]
NORM = "social_assistance_norm"


class DatedValue(BaseModel):
    """One value of an indexed amount, valid from ``date``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    date: dt.date
    value: float
    source: str = Field(min_length=1)


class CostParameter(BaseModel):
    """One parameter: value, unit, range, distribution family, source and date.

    Rules: ``fixed`` needs ``low <= value <= high``; ``beta`` needs
    ``0 < low < value < high < 1``; ``gamma`` and ``lognormal`` need
    ``0 < low < value < high``; ``normal`` needs ``low < value < high``. A ``history`` is
    sorted by date without duplicates, and its last entry is the current value and date.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: Text
    group: ParameterGroup
    value: float
    unit: str = Field(min_length=1)
    low: float
    high: float
    distribution: Distribution
    source: str = Field(min_length=1)
    date: dt.date
    history: tuple[DatedValue, ...] = ()

    @model_validator(mode="after")
    def _range_fits_family(self) -> CostParameter:
        lo, v, hi, fam = self.low, self.value, self.high, self.distribution
        ok = {
            "fixed": lo <= v <= hi,
            "beta": 0 < lo < v < hi < 1,
            "gamma": 0 < lo < v < hi,
            "lognormal": 0 < lo < v < hi,
            "normal": lo < v < hi,
        }[fam]
        if not ok:
            raise ValueError(
                f"{fam} parameter with low={lo}, value={v}, high={hi}: the range does not "
                "fit the family (see CostParameter)"
            )
        if self.history:
            dates = [h.date for h in self.history]
            if dates != sorted(set(dates)):
                raise ValueError("history: dates must be increasing and unique")
            last = self.history[-1]
            if (last.date, last.value) != (self.date, self.value):
                raise ValueError(
                    f"history: the last entry ({last.date}, {last.value}) must equal the "
                    f"current date and value ({self.date}, {self.value})"
                )
        return self


class UnpricedEffect(BaseModel):
    """An effect that cannot be priced: shown as a PM (pro memorie) item."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    actor: Actor
    sign: Literal["+", "-"]
    label: Text


class CostParameters(BaseModel):
    """All cost–benefit parameters of a country, at the price level of ``price_date``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    version: str
    country: str
    currency: str
    price_date: dt.date
    discount_rate_variants: tuple[float, ...] = ()
    parameters: dict[str, CostParameter]
    unpriced_effects: tuple[UnpricedEffect, ...] = ()

    @model_validator(mode="after")
    def _names_are_codes(self) -> CostParameters:
        for name in self.parameters:
            if not name.replace("_", "a").isalnum() or not name[0].isalpha():
                raise ValueError(f"parameter name {name!r}: use lower-case letters, digits, _")
        for r in self.discount_rate_variants:
            if not -1 < r < 1:
                raise ValueError(f"discount_rate_variants: {r} is not an annual rate")
        return self

    def value(self, name: str) -> float:
        """The value of parameter ``name``; KeyError naming the known parameters if absent."""
        return self.get(name).value

    def get(self, name: str) -> CostParameter:
        """Parameter ``name``; KeyError naming the known parameters if absent."""
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(
                f"unknown cost parameter {name!r}: choose one of {sorted(self.parameters)}"
            ) from None

    def values(self) -> dict[str, float]:
        """``{name: value}`` of every parameter."""
        return {k: p.value for k, p in self.parameters.items()}


@lru_cache(maxsize=1)
def _shipped() -> CostParameters:
    text = (
        resources.files("mentorwijs.protocol").joinpath("cost_parameters.yaml").read_text("utf-8")
    )
    return CostParameters.model_validate(yaml.safe_load(text))


def _read_file(path: str) -> CostParameters:
    """A researcher's file is read afresh every time: it may have changed since."""
    try:
        return CostParameters.model_validate(yaml.safe_load(Path(path).read_text("utf-8")))
    except OSError as exc:
        raise InvalidParameterFileError(path, exc.strerror or str(exc)) from exc
    except yaml.YAMLError as exc:
        raise InvalidParameterFileError(path, f"not YAML ({exc})") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidParameterFileError(path, f"{where}: {first['msg']}") from exc


def load_cost_parameters(path: str | Path | None = None) -> CostParameters:
    """Load and validate a cost–benefit parameter file.

    Parameters
    ----------
    path
        A parameter YAML file; ``None`` loads the shipped Dutch defaults.

    Returns
    -------
    CostParameters
        The validated parameters (a fresh copy: changing it never changes the cache).
    """
    if path is None:
        return _shipped().model_copy(deep=True)
    return _read_file(str(path))


def cost_parameters_yaml(params: CostParameters) -> str:
    """The parameters as YAML text, for a command that writes an updated file."""
    data = params.model_dump(mode="json", exclude_defaults=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def with_parameter(params: CostParameters, name: str, **changes: Any) -> CostParameters:
    """A copy of ``params`` with fields of parameter ``name`` changed, validated again.

    Examples
    --------
    >>> p = load_cost_parameters()
    >>> with_parameter(p, "trainer_hourly_rate", value=100.0).value("trainer_hourly_rate")
    100.0
    """
    old = params.get(name)
    new = CostParameter.model_validate({**old.model_dump(), **changes})
    return params.model_copy(update={"parameters": {**params.parameters, name: new}})


def with_dated_value(
    params: CostParameters,
    name: str,
    *,
    date: dt.date,
    value: float,
    source: str,
) -> CostParameters:
    """Add (or replace) the value of an indexed amount from ``date`` on.

    The entry goes into the parameter's history; when it is the latest, it becomes the
    current value and date. A range equal to the old value (a legal figure) moves with it;
    any other range is scaled by ``value / old value`` so that its relative width stays.

    Returns
    -------
    CostParameters
        A new, validated object; ``params`` is not changed.
    """
    old = params.get(name)
    history = {h.date: h for h in old.history}
    if not history:
        history[old.date] = DatedValue(date=old.date, value=old.value, source=old.source)
    history[date] = DatedValue(date=date, value=float(value), source=source)
    entries = tuple(history[d] for d in sorted(history))
    changes: dict[str, Any] = {"history": [e.model_dump() for e in entries]}
    latest = entries[-1]
    if latest.date == date:
        if old.low == old.high == old.value:
            low = high = float(value)
        else:
            ratio = float(value) / old.value if old.value else 1.0
            low, high = old.low * ratio, old.high * ratio
        changes.update(value=float(value), date=date, low=low, high=high)
    return with_parameter(params, name, **changes)


def with_norm(
    params: CostParameters,
    *,
    date: dt.date,
    amount: float,
    source: str = "Ministry of Social Affairs and Employment, social-assistance norms",
) -> CostParameters:
    """Update the single-person social-assistance norm (including holiday allowance).

    Examples
    --------
    >>> import datetime as dt
    >>> p = with_norm(load_cost_parameters(), date=dt.date(2026, 1, 1), amount=1400.00)
    >>> p.value("social_assistance_norm")
    1400.0
    """
    return with_dated_value(params, NORM, date=date, value=amount, source=source)
