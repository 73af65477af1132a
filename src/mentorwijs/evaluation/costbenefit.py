"""Cost–benefit analysis of Mentorwijs: what it costs, what it returns, and to whom.

:func:`cost_benefit` prices the training from the registry and the parameter file
(:mod:`costs_model`), turns the employment effect profile into money flows per actor
(:mod:`costbenefit_flows`), and reports them in two clearly separated views:

- the **public-budget business case** (``public_budget``: the municipality and central
  government; ``municipality`` alone is reported too): the training's cost to the public
  purse against benefits avoided, subsidies paid and services saved;
- the **social cost–benefit analysis** (``mkba``, CPB/PBL 2013): every actor together.
  Transfers (social assistance, wage-cost subsidy, wages, taxes) cancel at society level
  and appear only in the distribution table per actor; added production net of
  displacement counts; unpriced effects stay visible as PM rows. An optional ``sroi`` view
  applies deadweight, attribution and drop-off to the MKBA's effects.

Uncertainty (:mod:`costbenefit_uncertainty`): a tornado over every parameter and a seeded,
vectorised probabilistic analysis.

References
----------
.. [1] Romijn G, Renes G (2013). Algemene leidraad voor maatschappelijke
   kosten-batenanalyse. Den Haag: CPB/PBL.
.. [2] Werkgroep Discontovoet (2020). Rapport Werkgroep Discontovoet 2020. Den Haag:
   Ministerie van Financiën.
.. [3] Social Value UK (2012). A Guide to Social Return on Investment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from mentorwijs.evaluation.costbenefit_effect import check_horizon, effect_profile
from mentorwijs.evaluation.costbenefit_tables import (
    actor_table,
    benefit_table,
    break_even_table,
    distribution_table,
    parameter_table,
    summary_table,
)
from mentorwijs.evaluation.costbenefit_uncertainty import probabilistic_analysis, tornado
from mentorwijs.evaluation.costs_model import cost_lines, cost_summary
from mentorwijs.evaluation.costs_registry import cost_quantities, guidance_from_responses
from mentorwijs.evaluation.errors import (
    InvalidCostParametersError,
    NoEmployeesReachedError,
    UnknownParameterError,
)
from mentorwijs.protocol.costs import CostParameters, load_cost_parameters, with_parameter

__all__ = ["REQUIRED_PARAMETERS", "CostBenefitResult", "cost_benefit", "with_overrides"]

#: Views of the probabilistic analysis (the SROI view is reported deterministically).
PSA_VIEWS = ("public_budget", "municipality", "mkba")

REQUIRED_PARAMETERS = frozenset(
    {
        "trainer_hourly_rate",
        "meeting_hours",
        "preparation_hours_per_meeting",
        "travel_hours_per_meeting",
        "travel_cost_per_meeting",
        "venue_per_meeting",
        "meal_per_person",
        "materials_per_participant",
        "licence_per_group",
        "train_the_trainer_fee",
        "groups_per_trained_trainer",
        "coordination_hours_per_group",
        "coordination_hourly_rate",
        "supervisor_hourly_wage_cost",
        "extra_guidance_share",
        "extra_guidance_hours_per_week",
        "extra_guidance_months",
        "social_assistance_norm",
        "assistance_offset_share",
        "minimum_wage_hourly",
        "hours_per_week",
        "employer_cost_share",
        "productivity_share",
        "wage_subsidy_share",
        "wage_subsidy_cap_share",
        "job_coach_hours_per_month",
        "job_coach_hourly_rate",
        "tax_share_of_earnings",
        "replacement_cost",
        "replacement_share",
        "employer_turnover_cost",
        "displacement_share",
        "discount_rate",
        "sroi_deadweight",
        "sroi_attribution",
        "sroi_drop_off",
    }
)


@dataclass(frozen=True, eq=False)
class CostBenefitResult:
    """Everything the cost–benefit analysis computed, as tidy tables.

    Attributes
    ----------
    summary
        Per view and discount rate: ``view``, ``discount_rate``, ``base_rate`` (True for
        the default rate), ``pv_costs`` (programme costs), ``pv_effects`` (net effects),
        ``npv``, ``bcr`` (= pv_effects / pv_costs), ``roi`` (= npv / pv_costs),
        ``break_even_month`` (NaN: not within the horizon), ``effect_multiple`` (how many
        times the effect profile must be multiplied to break even; NaN if it cannot),
        ``n_groups``, ``n_trained``, ``n_employees``, ``npv_per_employee``.
    costs, cost_summary
        Cost lines per group and item (:func:`costs_model.cost_lines`) and costs per
        category, actor, group and in total with unit costs
        (:func:`costs_model.cost_summary`).
    benefits
        Quantities: ``item``, ``unit``, ``per_employee``, ``total``.
    distribution
        Present value per item and actor at the default rate: ``item``, ``kind``
        (``programme_cost``, ``effect`` or ``pm``), ``actor``, ``transfer``, ``priced``,
        ``pv``, ``pv_per_employee``. A transfer has one row per side (they sum to zero);
        PM rows have ``priced`` False, ``pv`` NaN and the ``sign`` in ``note``.
    actors
        Per actor, transfers included: ``actor``, ``pv_programme_costs``, ``pv_effects``,
        ``npv``, ``npv_per_employee``.
    break_even
        The effect needed to break even: ``view``, ``months_kept``, ``people_per_100``,
        ``reachable``, ``cost_per_employee``, ``value_per_person_kept``.
    tornado, psa_summary, psa_break_even, acceptability
        See :func:`costbenefit_uncertainty.tornado` and :class:`PSAResult`.
    profile
        The effect over the horizon: ``event_month``, ``estimate``, ``se``, ``basis``.
    parameters
        Parameters used: ``parameter``, ``group``, ``value``, ``unit``, ``low``, ``high``,
        ``distribution``, ``source``, ``date``.
    settings
        Horizon, extrapolation, seed, draws, region and the like.
    """

    summary: pd.DataFrame
    costs: pd.DataFrame
    cost_summary: pd.DataFrame
    benefits: pd.DataFrame
    distribution: pd.DataFrame
    actors: pd.DataFrame
    break_even: pd.DataFrame
    tornado: pd.DataFrame
    psa_summary: pd.DataFrame
    psa_break_even: pd.DataFrame
    acceptability: pd.DataFrame
    profile: pd.DataFrame
    parameters: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    psa_npv: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, keyed ``cb_<name>``, ready for the evaluation result."""
        names = (
            "summary",
            "costs",
            "cost_summary",
            "benefits",
            "distribution",
            "actors",
            "break_even",
            "tornado",
            "psa_summary",
            "psa_break_even",
            "acceptability",
            "profile",
            "parameters",
        )
        return {f"cb_{n}": getattr(self, n).copy() for n in names}

    def tidy(self) -> pd.DataFrame:
        """The summary per view and discount rate."""
        return self.summary.copy()


def with_overrides(params: CostParameters, overrides: Mapping[str, float]) -> CostParameters:
    """A copy of ``params`` with the values of some parameters replaced.

    Raises
    ------
    UnknownParameterError
        A name is not in the parameter file.
    InvalidCostParametersError
        A value lies outside the parameter's range (change the range with
        :func:`mentorwijs.protocol.costs.with_parameter`).
    """
    out = params
    for name, value in overrides.items():
        if name not in params.parameters:
            raise UnknownParameterError(
                f"unknown cost parameter {name!r}: choose one of {sorted(params.parameters)}"
            )
        old = params.parameters[name]
        changes: dict[str, Any] = {"value": float(value), "source": "set for this analysis"}
        if old.distribution == "fixed" and old.low == old.high:
            changes.update(low=float(value), high=float(value))
        try:
            out = with_parameter(out, name, **changes)
        except ValidationError:
            raise InvalidCostParametersError(
                f"{name}={value} lies outside its range {old.low}-{old.high}: give a new "
                "range as well (mentorwijs.protocol.costs.with_parameter)"
            ) from None
    return out


def _check_parameters(params: CostParameters) -> None:
    missing = sorted(REQUIRED_PARAMETERS - set(params.parameters))
    if missing:
        raise InvalidCostParametersError(
            f"the parameter file lacks {missing}: copy them from the shipped cost_parameters.yaml"
        )


def cost_benefit(
    tables: Mapping[str, pd.DataFrame],
    effect: pd.DataFrame,
    *,
    params: CostParameters | None = None,
    overrides: Mapping[str, float] | None = None,
    region_id: str | None = None,
    horizon_months: int = 60,
    extrapolation: str = "zero",
    decay_months: int = 12,
    effect_correlation: float = 1.0,
    n_draws: int = 10_000,
    seed: int = 2023,
    wtp_per_month: Sequence[float] | None = None,
    use_questionnaires: bool = True,
    sroi: bool = True,
) -> CostBenefitResult:
    """Costs, benefits, views and uncertainty of the training, as one result.

    Parameters
    ----------
    tables
        Tables of a study data package (``training_groups``, ``supervisors``,
        ``attendance``, ``employees``; ``meetings``, ``costs`` and ``responses`` where
        present), e.g. ``StudyPackage.tables``. Not changed.
    effect
        The employment effect profile by month since the start (``event_month``,
        ``estimate``, ``se`` or ``ci_low``/``ci_high``): the difference in the probability
        of being employed >= 1 hour, treated versus matched controls.
    params
        Parameters; ``None`` loads the shipped Dutch defaults.
    overrides
        ``{name: value}`` for this analysis only: the base value changes, the range (and
        so the probabilistic analysis) stays, except for a fixed legal figure.
    region_id
        Only this region's groups and costs.
    horizon_months
        Months over which benefits count (60 by default).
    extrapolation, decay_months
        The rule after the last estimated month: ``"zero"`` (default), ``"constant"`` or
        ``"linear"`` decay to zero over ``decay_months``.
    effect_correlation
        Correlation of the effect draws across months (1: fully correlated).
    n_draws, seed
        Draws of the probabilistic analysis and their seed.
    wtp_per_month
        Grid of the acceptability curve (euros per extra month of work).
    use_questionnaires
        Take the extra guidance share and hours from ``sv_process`` answers.
    sroi
        Add the SROI view.

    Returns
    -------
    CostBenefitResult

    Notes
    -----
    Benefits per employee reached are the effect profile :math:`e_t` times the flows of
    one extra month in work (:func:`costbenefit_flows.employment_values`), plus the exit
    flows times :math:`\\Delta e_t`; everything is discounted monthly,
    :math:`d_t = (1 + r)^{-t/12}`, and scaled by the employees reached (employees of
    supervisors who attended at least one meeting), assuming the effect estimated on the
    linked employees holds for all of them.
    """
    horizon = check_horizon(horizon_months)
    params = load_cost_parameters() if params is None else params
    _check_parameters(params)
    if overrides:
        params = with_overrides(params, overrides)
    quantities = cost_quantities(tables, region_id=region_id)
    n_emp = quantities.employees_reached
    if n_emp == 0:
        raise NoEmployeesReachedError(
            "no employee of a trained supervisor in the employees table: add the employees "
            "the trained supervisors guide"
        )
    if use_questionnaires and "responses" in tables:
        params = guidance_from_responses(
            tables["responses"], params, supervisor_ids=quantities.trained_ids
        )
    profile = effect_profile(
        effect, horizon_months=horizon, extrapolation=extrapolation, decay_months=decay_months
    )
    views = ["public_budget", "municipality", "mkba", *(["sroi"] if sroi else [])]
    base = params.values()
    psa = probabilistic_analysis(
        params,
        quantities,
        profile,
        n_draws=n_draws,
        seed=seed,
        effect_correlation=effect_correlation,
        views=PSA_VIEWS,
        wtp_per_month=wtp_per_month,
    )
    lines = cost_lines(quantities, base)
    return CostBenefitResult(
        summary=summary_table(params, quantities, profile, views),
        costs=lines,
        cost_summary=cost_summary(lines, quantities),
        benefits=benefit_table(base, quantities, profile),
        distribution=distribution_table(params, quantities, profile),
        actors=actor_table(params, quantities, profile),
        break_even=break_even_table(base, quantities, profile),
        tornado=tornado(params, quantities, profile, views=views),
        psa_summary=psa.summary,
        psa_break_even=psa.break_even,
        acceptability=psa.acceptability,
        profile=profile.table(effect_correlation),
        parameters=parameter_table(params),
        settings={
            "horizon_months": horizon,
            "extrapolation": extrapolation,
            "decay_months": decay_months,
            "effect_correlation": effect_correlation,
            "n_draws": n_draws,
            "seed": seed,
            "region_id": region_id,
            "discount_rate": base["discount_rate"],
            "price_date": params.price_date.isoformat(),
            "parameters_version": params.version,
            "n_treated": profile.n_treated,
            "psa_views": list(PSA_VIEWS),
        },
        psa_npv=psa.npv,
    )
