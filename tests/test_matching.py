"""Propensity scores, nearest-neighbour matching and balance.

Published references (each expected number names its source):

- LaLonde's NSW data in the Dehejia-Wahba (1999) sample with the CPS-1 comparison group, as
  shipped by the ``causaldata`` package (``nsw_mixtape``, ``cps_mixtape``), the data of
  Cunningham (2021), *Causal Inference: The Mixtape*, Yale University Press, section 5.3.
- The Mixtape's propensity model, in its Stata code ``nsw_pscore.do``
  (github.com/scunning1975/mixtape): ``logit treat age agesq agecube educ edusq marr
  nodegree black hisp re74 re75 u74 u75 interaction1``, with ``interaction1 = educ*re74``.
- statsmodels' ``Logit`` as a second implementation of the logistic regression.
- Hand-made cases whose nearest neighbours can be read off a number line.
"""

from __future__ import annotations

import warnings

import causaldata
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from mentorwijs.evaluation.errors import NoCommonSupportError, PropensityModelError
from mentorwijs.evaluation.matching import (
    MatchResult,
    balance,
    match,
    propensity_scores,
)
from mentorwijs.evaluation.propensity import (
    fit_logit,
    propensity_model,
)

MIXTAPE = [
    "age",
    "agesq",
    "agecube",
    "educ",
    "educsq",
    "marr",
    "nodegree",
    "black",
    "hisp",
    "re74",
    "re75",
    "u74",
    "u75",
    "interaction1",
]


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    d = df.drop(columns="data_id").astype(float).reset_index(drop=True)
    d["agesq"], d["agecube"], d["educsq"] = d["age"] ** 2, d["age"] ** 3, d["educ"] ** 2
    d["u74"], d["u75"] = (d["re74"] == 0).astype(float), (d["re75"] == 0).astype(float)
    d["interaction1"] = d["educ"] * d["re74"]
    d["treated"] = d["treat"] == 1
    d["person_id"] = [f"N{i}" for i in range(len(d))]
    return d


@pytest.fixture(scope="module")
def nsw() -> pd.DataFrame:
    return _prepare(causaldata.nsw_mixtape.load_pandas().data)


@pytest.fixture(scope="module")
def nsw_cps(nsw: pd.DataFrame) -> pd.DataFrame:
    cps = _prepare(causaldata.cps_mixtape.load_pandas().data)
    d = pd.concat([nsw[nsw["treated"]], cps], ignore_index=True)
    return d.assign(person_id=[f"N{i}" for i in range(len(d))])


def test_it_loads_the_dehejia_wahba_samples(nsw: pd.DataFrame, nsw_cps: pd.DataFrame) -> None:
    # 185 treated, 260 experimental controls, 15,992 CPS-1 controls (Dehejia & Wahba 1999).
    assert (nsw["treated"].sum(), (~nsw["treated"]).sum(), len(nsw_cps)) == (185, 260, 16177)
    # Experimental benchmark: Mixtape nsw_experimental.do, "ATE is 1794.34"
    # (Dehejia & Wahba 1999, Table 3, NSW row: 1,794).
    y = nsw.groupby("treated")["re78"].mean()
    assert y[True] - y[False] == pytest.approx(1794.34, abs=0.01)
    # Naive NSW treated vs CPS-1: Dehejia & Wahba (1999), Table 3, CPS-1 unadjusted: -8,498.
    y = nsw_cps.groupby("treated")["re78"].mean()
    assert round(y[True] - y[False]) == -8498


def test_it_fits_the_mixtape_propensity_model_like_statsmodels(nsw_cps: pd.DataFrame) -> None:
    fit = propensity_model(nsw_cps, columns=MIXTAPE)
    x = sm.add_constant(nsw_cps[MIXTAPE])
    ref = sm.Logit(nsw_cps["treat"], x).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    assert fit.terms == ["Intercept", *MIXTAPE]
    np.testing.assert_allclose(fit.coef, ref.params.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(fit.tidy()["se"], ref.bse.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(fit.fitted, ref.predict(x), rtol=0, atol=1e-10)
    assert fit.loglik == pytest.approx(ref.llf, rel=1e-10)


def test_it_reproduces_the_mixtape_propensity_scores(nsw_cps: pd.DataFrame) -> None:
    p = propensity_scores(nsw_cps, columns=MIXTAPE)
    means = p.groupby(nsw_cps["treated"]).mean()
    # Mixtape section 5.3: mean score 0.43 in the treatment group, 0.007 in the CPS controls.
    assert round(means[True], 2) == 0.43
    assert round(means[False], 3) == 0.007


def _ipw_att(d: pd.DataFrame, p: pd.Series, *, normalised: bool) -> float:
    """The Mixtape's weighting estimator (ipw.do / ipw.R), on the rows of d."""
    t, y, n = d["treat"], d["re78"], len(d)
    y1, y0 = t * y / p, (1 - t) * y / (1 - p)
    if normalised:
        y1, y0 = y1 / ((t / p).sum() / n), y0 / (((1 - t) / (1 - p)).sum() / n)
    return float((y1 - y0).mean())


def test_it_reproduces_the_mixtape_weighting_estimates(nsw_cps: pd.DataFrame) -> None:
    p = propensity_scores(nsw_cps, columns=MIXTAPE)
    # Mixtape section 5.3: -$11,876 non-normalised and -$7,238 normalised weights; after
    # trimming to 0.1 < p < 0.9: $2,006 and $1,806 (printed in whole dollars).
    assert _ipw_att(nsw_cps, p, normalised=False) == pytest.approx(-11876, abs=1)
    assert _ipw_att(nsw_cps, p, normalised=True) == pytest.approx(-7238, abs=1)
    keep = (p > 0.1) & (p < 0.9)
    assert _ipw_att(nsw_cps[keep], p[keep], normalised=False) == pytest.approx(2006, abs=1)
    assert _ipw_att(nsw_cps[keep], p[keep], normalised=True) == pytest.approx(1806, abs=1)


def test_it_measures_balance_like_imbens(nsw: pd.DataFrame) -> None:
    # Imbens (2015), Matching methods in practice, J Human Resources 50(2), Table 10 and text:
    # in the experimental NSW data "the largest [normalized difference] is 0.30 for no degree".
    cols = ["black", "hisp", "age", "marr", "nodegree", "educ", "re74", "u74", "re75", "u75"]
    result = match(nsw, columns=cols, k=1)
    table = balance(nsw, result, columns=cols).set_index("term")
    largest = table["smd_before"].abs().idxmax()
    assert largest == "nodegree"
    assert round(abs(table.loc[largest, "smd_before"]), 2) == 0.30


def test_it_stops_on_separation_and_gaps() -> None:
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    d = pd.DataFrame({"person_id": list("abcdef"), "treated": x > 2.5, "x": x})
    with pytest.raises(PropensityModelError, match="did not converge"):
        propensity_model(d, columns=["x"])
    with pytest.raises(PropensityModelError, match="missing values"):
        propensity_model(d.assign(x=[0.0, 1.0, np.nan, 3.0, 4.0, 5.0]), columns=["x"])
    with pytest.raises(PropensityModelError, match="one value only"):
        propensity_model(d.assign(x=1.0), columns=["x"])


def test_fit_logit_agrees_with_statsmodels_on_random_data() -> None:
    rng = np.random.default_rng(7)
    x = np.column_stack([np.ones(2000), rng.normal(size=(2000, 3)) * [1, 100, 0.01]])
    y = rng.random(2000) < expit(x @ [-1.0, 0.5, 0.004, 30.0])
    ours = fit_logit(x, y)
    ref = sm.Logit(y.astype(float), x).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-8)


# --- hand-made matching cases: the logit of each score is given, so distances are plain ----
#
#   logit:  -2     -1.05  -1   -0.9   0     0.4   1     3
#           C1      T3    C2    T1    C3    T2    C4    C5


def line(treated: dict[str, float], controls: dict[str, float], **cols: list) -> pd.DataFrame:
    ids = [*treated, *controls]
    return pd.DataFrame(
        {
            "person_id": ids,
            "treated": [True] * len(treated) + [False] * len(controls),
            "start_month": ["2021-03"] * len(treated) + [None] * len(controls),
            "logit": [*treated.values(), *controls.values()],
            **cols,
        }
    )


CONTROLS = {"C1": -2.0, "C2": -1.0, "C3": 0.0, "C4": 1.0, "C5": 3.0}


def scores(d: pd.DataFrame) -> pd.Series:
    return pd.Series(expit(d["logit"].to_numpy()), index=d.index)


def test_it_finds_the_nearest_neighbours_with_replacement() -> None:
    d = line({"T1": -0.9, "T2": 0.4}, CONTROLS)
    r = match(d, scores=scores(d), k=2, caliper=None)
    sets = r.sets
    assert list(sets.columns) == [
        "set_id", "person_id", "treated", "weight", "start_month", "distance",
    ]  # fmt: skip
    # T1: C2 at 0.1, C3 at 0.9.  T2: C3 at 0.4, C4 at 0.6.  The treated row comes first.
    assert sets["person_id"].tolist() == ["T1", "C2", "C3", "T2", "C3", "C4"]
    assert sets["set_id"].tolist() == ["T1"] * 3 + ["T2"] * 3
    np.testing.assert_allclose(sets["distance"], [0, 0.1, 0.9, 0, 0.4, 0.6])
    assert sets["weight"].tolist() == [1.0, 0.5, 0.5, 1.0, 0.5, 0.5]
    assert (sets["start_month"] == "2021-03").all()
    w = r.weights.set_index("person_id")["weight"]
    # C3 serves both sets: 0.5 + 0.5; the control weights add up to the 2 matched treated.
    assert w.to_dict() == {"T1": 1.0, "T2": 1.0, "C2": 0.5, "C3": 1.0, "C4": 0.5}
    assert w[["C2", "C3", "C4"]].sum() == 2.0
    assert r.dropped.empty


def test_it_matches_without_replacement_in_random_order() -> None:
    # T1 (-0.9) and T3 (-1.05) both want C2. Who goes first gets it; the other takes its
    # nearest free control: T3 then C1 (0.95 < 1.05), T1 then C3 (0.9 < 1.1).
    d = line({"T1": -0.9, "T3": -1.05}, CONTROLS)
    seen = set()
    for seed in range(10):
        r = match(d, scores=scores(d), k=1, caliper=None, replace=False, seed=seed)
        pairs = dict(
            zip(
                r.sets["set_id"][~r.sets["treated"]],
                r.sets["person_id"][~r.sets["treated"]],
                strict=True,
            )
        )
        assert pairs in ({"T1": "C2", "T3": "C1"}, {"T3": "C2", "T1": "C3"})
        assert r.weights["n_sets"].max() == 1
        seen.add(tuple(sorted(pairs.items())))
    assert len(seen) == 2  # both orders occur


def test_it_drops_treated_beyond_the_caliper() -> None:
    d = line({"T1": -0.9, "T4": 6.0}, CONTROLS)
    r = match(d, scores=scores(d), k=1, caliper=0.2, common_support=False)
    # caliper width = 0.2 x pooled SD of the logit: sqrt((var(-0.9, 6) + var(controls)) / 2).
    sd = np.sqrt((np.var([-0.9, 6.0], ddof=1) + np.var(list(CONTROLS.values()), ddof=1)) / 2)
    assert r.settings["caliper_width"] == pytest.approx(0.2 * sd)
    assert r.dropped.set_index("person_id")["reason"].to_dict() == {"T4": "no_match_within_caliper"}
    assert r.sets["person_id"].tolist() == ["T1", "C2"]


def test_it_drops_treated_off_common_support() -> None:
    d = line({"T1": -0.9, "T4": 6.0}, CONTROLS)
    r = match(d, scores=scores(d), k=1, caliper=None)
    assert r.dropped["reason"].tolist() == ["off_support"]
    assert r.dropped["pscore"].iloc[0] == pytest.approx(expit(6.0))
    summary = r.summary().set_index("statistic")["value"]
    assert summary["n_dropped_off_support"] == 1
    assert summary["n_treated_matched"] == 1
    # without the support rule T4 takes C5, its nearest control at distance 3.
    r = match(d, scores=scores(d), k=1, caliper=None, common_support=False)
    assert r.sets["person_id"].tolist() == ["T1", "C2", "T4", "C5"]


def test_it_matches_exactly_within_strata() -> None:
    d = line(
        {"T1": -0.9, "T6": 0.0},
        CONTROLS,
        sex=["f", "f", "f", "m", "f", "f", "f"],
        region=["R1", "R9", "R1", "R1", "R1", "R1", "R1"],
    )
    # C2 (m) is T1's nearest, but not of T1's sex: C3 (0.9) beats C1 (1.1).
    r = match(d, scores=scores(d), k=1, caliper=None, exact=["sex"])
    assert r.sets["person_id"].tolist()[:2] == ["T1", "C3"]
    # no control lives in T6's region R9.
    r = match(d, scores=scores(d), k=1, caliper=None, exact=["sex", "region"])
    assert r.dropped.set_index("person_id")["reason"].to_dict() == {"T6": "no_control_in_stratum"}


def test_it_says_what_to_do_without_common_support() -> None:
    d = line({"T4": 6.0, "T5": 7.0}, CONTROLS)
    with pytest.raises(NoCommonSupportError, match="widen the caliper"):
        match(d, scores=scores(d))


def test_it_never_matches_a_category_without_treated() -> None:
    rng = np.random.default_rng(1)
    n = 400
    d = pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(n)],
            "treated": np.arange(n) < 60,
            "x": rng.normal(size=n),
            "sector": np.where(np.arange(n) >= 350, "other", rng.choice(["a", "b"], n)),
        }
    )
    with pytest.warns(UserWarning, match=r"sector\[other\]"):
        r = match(d, columns=["x", "sector"], k=3)
    others = set(d.loc[d["sector"] == "other", "person_id"])
    assert not others & set(r.sets["person_id"])
    assert (r.scores.set_index("person_id").loc[sorted(others), "pscore"] == 0).all()


def test_it_computes_balance_by_hand() -> None:
    # treated x = 2, 4 (mean 3, var 2); controls 0, 1, 5 (mean 2, var 7); pooled SD sqrt(4.5).
    d = pd.DataFrame(
        {
            "person_id": list("abcde"),
            "treated": [True, True, False, False, False],
            "x": [2.0, 4, 0, 1, 5],
        }
    )
    weights = pd.DataFrame(
        {
            "person_id": list("abde"),
            "treated": [True, True, False, False],
            "weight": [1, 1, 1.5, 0.5],
        }
    )
    result = MatchResult(pd.DataFrame(), weights, pd.DataFrame(), pd.DataFrame(), {})
    row = balance(d, result, columns=["x"]).iloc[0]
    assert row["smd_before"] == pytest.approx(1 / np.sqrt(4.5))
    assert row["variance_ratio_before"] == pytest.approx(2 / 7)
    # after: controls weighted 1.5 and 0.5: mean (1.5 + 2.5) / 2 = 2; weighted variance
    # (1.5 x 1 + 0.5 x 9) / (2 - 2.5 / 2) = 8; the SD of the unmatched sample stays.
    assert row["mean_control_after"] == pytest.approx(2.0)
    assert row["smd_after"] == pytest.approx(1 / np.sqrt(4.5))
    assert row["variance_ratio_after"] == pytest.approx(2 / 8)
    assert (row["n_treated_after"], row["n_control_after"]) == (2, 2)


def test_it_balances_the_simulated_study() -> None:
    from mentorwijs.evaluation.register import matching_covariates
    from mentorwijs.simulation import simulate_study

    t = simulate_study(seed=1).tables
    cov = matching_covariates(t["register_persons"], t["register_months"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # sector "other" has no treated person
        result = match(cov, k=20, seed=1)
        table = balance(cov, result)
    # the simulator selects on age, education, contract, job tenure and wage: imbalanced ...
    assert (table["smd_before"].abs() > 0.1).sum() >= 5
    # ... and 1:20 matching (the published study matched 73 treated to 1,526 controls)
    # brings every term under the usual 0.1 (Austin 2009).
    assert table["smd_after"].abs().max() < 0.1
    assert result.summary().set_index("statistic").loc["n_treated_matched", "value"] >= 70


def test_it_agrees_with_brute_force_nearest_neighbours() -> None:
    rng = np.random.default_rng(11)
    n_t, n_c, k = 40, 300, 3
    d = line(
        dict(zip([f"T{i}" for i in range(n_t)], rng.normal(0.5, 1, n_t), strict=True)),
        dict(zip([f"C{i}" for i in range(n_c)], rng.normal(0, 1, n_c), strict=True)),
        g=rng.integers(0, 3, n_t + n_c),
    )
    r = match(d, scores=scores(d), k=k, caliper=None, exact=["g"], common_support=False)
    got = r.sets[~r.sets["treated"]].groupby("set_id")["person_id"].apply(set).to_dict()
    controls = d[~d["treated"]]
    for _, t in d[d["treated"]].iterrows():
        pool = controls[controls["g"] == t["g"]]
        nearest = pool.loc[(pool["logit"] - t["logit"]).abs().nsmallest(k).index, "person_id"]
        assert got[t["person_id"]] == set(nearest)
