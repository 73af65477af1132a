"""Scale scores and reliability: hand-worked cases, published examples, known loadings."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.errors import (
    InvalidItemValueError,
    InvalidMinItemsError,
    NoRespondentsError,
    TooFewItemsError,
    UnknownInstrumentError,
)
from mentorwijs.evaluation.reliability import cronbach_alpha, feldt_ci, omega_total, one_factor_fit
from mentorwijs.evaluation.scales import item_rest_correlations, scale_reliability, score_scales
from mentorwijs.protocol import Protocol

T = {"nl": "x", "en": "x"}


def _options(values: range) -> dict:
    return {"options": [{"value": v, "label": T} for v in values]}


def _items(codes: list[str], scale: str, reverse: tuple[str, ...] = ()) -> list[dict]:
    return [{"code": c, "answer_scale": scale, "text": T, "reverse": c in reverse} for c in codes]


def _instrument(codes: list[str], scale: str, scales: list[dict], **kw) -> dict:
    items = _items(codes, scale, **kw)
    return {"label": T, "role": "supervisor", "waves": ["T0"], "items": items, "scales": scales}


TOY = Protocol.model_validate(
    {
        "version": "test",
        "waves": {"T0": {"label": T, "roles": ["supervisor"], "anchor": "meeting_1"}},
        "answer_scales": {"agree5": _options(range(1, 6)), "three": _options(range(1, 4))},
        "instruments": {
            "toy": _instrument(
                ["a", "b", "c"],
                "agree5",
                [{"code": "sc", "label": T, "items": ["a", "b", "c"], "min_items": 2}],
                reverse=("c",),
            ),
            "statology": _instrument(
                ["q1", "q2", "q3"],
                "three",
                [{"code": "satisfaction", "label": T, "items": ["q1", "q2", "q3"], "min_items": 3}],
            ),
            "single": _instrument(
                ["s1"], "agree5", [{"code": "one", "label": T, "items": ["s1"], "min_items": 1}]
            ),
            "no_scales": _instrument(["n1"], "agree5", []),
        },
    }
)


def long_responses(instrument: str, wide: dict[str, list[float]], wave: str = "T0") -> pd.DataFrame:
    """Long ``responses`` rows from item → answers (respondents R1, R2, …; NaN = skipped)."""
    n = len(next(iter(wide.values())))
    rows = [
        {
            "respondent_id": f"R{i + 1}",
            "role": "supervisor",
            "wave": wave,
            "instrument": instrument,
            "item": item,
            "value": values[i],
            "text": None,
            "submitted_at": pd.Timestamp("2021-01-01", tz="UTC"),
        }
        for item, values in wide.items()
        for i in range(n)
    ]
    return pd.DataFrame(rows)


NA = math.nan
# Raw answers; c is reverse-coded (1..5 → 6 - c), so c' = 1, 3, 4, 4, –, 1.
HAND = {
    "a": [1, 2, 4, 5, 3, 1],
    "b": [2, 2, 3, 5, NA, NA],
    "c": [5, 3, 2, 2, NA, 5],
}


@pytest.fixture
def hand() -> pd.DataFrame:
    return long_responses("toy", HAND)


def test_it_scores_with_reverse_coding_and_the_min_items_rule(hand):
    before = hand.copy()
    s = score_scales(hand, instrument="toy", protocol=TOY).set_index("respondent_id")
    # R1: (1 + 2 + (6 - 5)) / 3 = 4/3; R4: (5 + 5 + (6 - 2)) / 3 = 14/3.
    assert s.loc["R1", "score"] == pytest.approx(4 / 3)
    assert s.loc["R4", "score"] == pytest.approx(14 / 3)
    # R5 answered 1 item < min_items 2: no score. R6 answered a=1 and c'=6-5=1: (1+1)/2 = 1.
    assert math.isnan(s.loc["R5", "score"])
    assert s.loc["R6", "score"] == pytest.approx(1.0)
    assert s["n_answered"].tolist() == [3, 3, 3, 3, 1, 2]
    assert (s["n_items"] == 3).all()
    pd.testing.assert_frame_equal(hand, before)  # the caller's data is untouched


def test_it_lets_the_caller_change_min_items(hand):
    s = score_scales(hand, instrument="toy", protocol=TOY, min_items=1).set_index("respondent_id")
    assert s.loc["R5", "score"] == pytest.approx(3.0)
    s = score_scales(hand, instrument="toy", protocol=TOY, min_items={"sc": 3})
    assert s["score"].notna().sum() == 4
    with pytest.raises(InvalidMinItemsError, match="from 1 to 3"):
        score_scales(hand, instrument="toy", protocol=TOY, min_items=4)


def test_it_computes_alpha_by_hand(hand):
    # Complete cases R1-R4, reverse-coded: a = 1,2,4,5; b = 2,2,3,5; c' = 1,3,4,4 (all mean 3).
    # Item variances (ddof 1): a (4+1+1+4)/3 = 10/3; b (1+1+0+4)/3 = 2; c' (4+0+1+1)/3 = 2.
    # Totals 4, 7, 11, 14 (mean 9): variance (25+4+4+25)/3 = 58/3.
    # alpha = 3/2 * (1 - (22/3) / (58/3)) = 3/2 * 36/58 = 27/29.
    rel = scale_reliability(hand, instrument="toy", protocol=TOY, min_count=1).iloc[0]
    assert rel["n"] == 4
    assert rel["n_items"] == 3
    assert rel["alpha"] == pytest.approx(27 / 29)
    assert rel["alpha_ci_low"] < 27 / 29 < rel["alpha_ci_high"]
    # Scores of R1-R4 and R6: 4/3, 7/3, 11/3, 14/3, 1 → mean 13/5; squared deviations
    # (in 15ths) 19², 4², 16², 31², 24² = 2170/225, so sd = sqrt(2170/225/4) = sqrt(217/90).
    assert rel["n_scored"] == 5
    assert rel["mean"] == pytest.approx(13 / 5)
    assert rel["sd"] == pytest.approx(math.sqrt(217 / 90))
    # R6 answered every item at the minimum (a = 1, c' = 1): 1 of 5 at the floor.
    assert rel["floor_share"] == pytest.approx(1 / 5)
    assert rel["ceiling_share"] == 0
    assert not rel["suppressed"]


def test_it_suppresses_reliability_of_fewer_than_ten_respondents(hand):
    rel = scale_reliability(hand, instrument="toy", protocol=TOY).iloc[0]
    assert rel["suppressed"]
    assert math.isnan(rel["alpha"])
    assert math.isnan(rel["n"])


def test_it_computes_item_rest_correlations_by_hand(hand):
    r = item_rest_correlations(hand, instrument="toy", protocol=TOY, min_count=1)
    r = r.set_index("item")["item_rest_r"]
    # a = 1,2,4,5 vs b + c' = 3,5,7,9: deviations (-2,-1,1,2) and (-3,-1,1,3);
    # r = (6+1+1+6) / sqrt(10 * 20) = 14 / sqrt(200).
    assert r["a"] == pytest.approx(14 / math.sqrt(200))
    # c' = 1,3,4,4 vs a + b = 3,4,7,10: deviations (-2,0,1,1) and (-3,-2,1,4);
    # r = (6+0+1+4) / sqrt(6 * 30) = 11 / sqrt(180) (negative without the reverse coding).
    assert r["c"] == pytest.approx(11 / math.sqrt(180))


# Statology, "How to Calculate Cronbach's Alpha in Python" (restaurant survey of 10 customers,
# items rated 1-3): pingouin.cronbach_alpha gives (0.7734375, array([0.336, 0.939])); R's
# ltm::cronbach.alpha on the same data gives 0.773 (Statology, "... in R").
STATOLOGY = {
    "q1": [1, 2, 2, 3, 2, 2, 3, 3, 2, 3],
    "q2": [1, 1, 1, 2, 3, 3, 2, 3, 3, 3],
    "q3": [1, 1, 2, 1, 2, 3, 3, 3, 2, 3],
}


def test_it_matches_the_published_statology_example():
    responses = long_responses("statology", STATOLOGY)
    rel = scale_reliability(responses, instrument="statology", protocol=TOY).iloc[0]
    assert rel["n"] == 10
    assert not rel["suppressed"]
    assert rel["alpha"] == pytest.approx(0.7734375, abs=1e-7)
    assert round(rel["alpha_ci_low"], 3) == 0.336
    assert round(rel["alpha_ci_high"], 3) == 0.939


def test_feldt_interval_matches_a_published_example():
    # Chris Evans's R function feldt1.return(0.913, 873, 20, 0.95), MRC CBU statswiki
    # (FAQ/cafun): 0.9044024 to 0.9211588.
    low, high = feldt_ci(0.913, n=873, k=20)
    assert low == pytest.approx(0.9044024, abs=5e-8)
    assert high == pytest.approx(0.9211588, abs=5e-8)
    assert all(math.isnan(v) for v in feldt_ci(math.nan, n=10, k=3))


LOADINGS = np.array([0.8, 1.2, 0.5, 0.9, 0.6])
UNIQUE = np.array([0.36, 0.8, 0.75, 0.5, 1.0])
# Closed form: (Σλ)² / ((Σλ)² + Σθ) = 4.0² / (16 + 3.41) = 16 / 19.41.
OMEGA = 16 / 19.41


def test_one_factor_fit_recovers_known_loadings():
    cov = np.outer(LOADINGS, LOADINGS) + np.diag(UNIQUE)
    lam, theta = one_factor_fit(cov)
    np.testing.assert_allclose(lam, LOADINGS, atol=1e-6)
    np.testing.assert_allclose(theta, UNIQUE, atol=1e-6)


def test_omega_matches_the_closed_form_on_simulated_items():
    rng = np.random.default_rng(20260101)
    n = 20_000
    x = rng.normal(size=(n, 1)) * LOADINGS + rng.normal(size=(n, 5)) * np.sqrt(UNIQUE)
    assert omega_total(x) == pytest.approx(OMEGA, abs=0.01)
    # Unequal loadings (congeneric items): alpha is a lower bound of omega.
    assert cronbach_alpha(x) < omega_total(x) - 0.01


def test_degenerate_items_give_a_warning_and_nan():
    with pytest.warns(UserWarning, match="does not vary"):
        assert math.isnan(cronbach_alpha(np.ones((5, 3))))
    with pytest.warns(UserWarning, match="3 items"):
        assert math.isnan(omega_total(np.arange(10.0).reshape(5, 2)))


def test_named_errors_say_what_to_do(hand):
    with pytest.raises(UnknownInstrumentError, match="choose one of"):
        score_scales(hand, instrument="nope", protocol=TOY)
    with pytest.raises(UnknownInstrumentError, match="has no scales"):
        score_scales(hand, instrument="no_scales", protocol=TOY)
    with pytest.raises(NoRespondentsError):
        score_scales(hand, instrument="statology", protocol=TOY)
    single = long_responses("single", {"s1": [1, 2, 3]})
    with pytest.raises(TooFewItemsError, match="at least 2"):
        scale_reliability(single, instrument="single", protocol=TOY)
    bad = hand.copy()
    bad.loc[0, "value"] = 7
    with pytest.raises(InvalidItemValueError, match="not in answer scale agree5"):
        score_scales(bad, instrument="toy", protocol=TOY)
    with pytest.raises(InvalidItemValueError, match="occur twice"):
        score_scales(pd.concat([hand, hand.iloc[:1]]), instrument="toy", protocol=TOY)


@pytest.fixture(scope="module")
def simulated_responses() -> pd.DataFrame:
    from mentorwijs.simulation import simulate_study

    return simulate_study(seed=1).tables["responses"]


def test_reliabilities_of_the_simulated_study_are_reasonable(simulated_responses):
    rel = scale_reliability(simulated_responses, instrument="sv_outcomes")
    assert len(rel) == 16  # 4 scales × 4 waves
    assert not rel["suppressed"].any()
    main = rel[rel["scale"] != "intention"]
    assert main["alpha"].between(0.6, 0.95).all()
    # Intention items sit near the ceiling in the simulator (mean ≈ 4.3 of 5), which lowers
    # alpha (0.56-0.65 at seed 1); still clearly positive.
    assert rel.loc[rel["scale"] == "intention", "alpha"].between(0.45, 0.8).all()
    assert ((rel["omega"] - rel["alpha"]).between(-0.01, 0.05)).all()
    assert (rel["alpha_ci_low"] < rel["alpha"]).all()
    assert (rel["alpha"] < rel["alpha_ci_high"]).all()
    # The reverse-keyed item se6 correlates positively with the rest once recoded.
    irc = item_rest_correlations(simulated_responses, instrument="sv_outcomes")
    assert (irc.loc[irc["item"] == "se6", "item_rest_r"] > 0.3).all()


def test_simulated_scores_follow_the_min_items_rule(simulated_responses):
    s = score_scales(simulated_responses, instrument="em_questionnaire")
    need = {"job_satisfaction": 2, "supervisor_support": 2, "belonging": 2}
    need["employee_self_efficacy"] = 2
    assert (s["score"].notna() == (s["n_answered"] >= s["scale"].map(need))).all()
    assert s["score"].dropna().between(1, 5).all()
    rel = scale_reliability(simulated_responses, instrument="em_questionnaire")
    assert rel.loc[rel["scale"] == "belonging", "omega"].isna().all()  # 2 items
