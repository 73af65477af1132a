"""Cohen's kappa, checked against published worked examples, and agreement between coders
on characters and on passages, worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.errors import InvalidAgreementTableError, NoDoubleCodingError
from mentorwijs.evaluation.qualitative_agreement import coder_agreement, cohen_kappa


def test_kappa_of_cohens_worked_example() -> None:
    # Cohen J (1968), Psychol Bull 70:213-220, Table 1: two judges, 200 cases, three
    # diagnoses; proportions as printed. Cohen reports kappa = .492 for it (the R package
    # psych reproduces the table in its cohen.kappa examples: "cohen reports .492").
    # By hand: p_o = .44 + .20 + .06 = .70; marginals .60/.30/.10 and .50/.30/.20, so
    # p_e = .30 + .09 + .02 = .41 and kappa = .29 / .59 = .4915.
    table = [[0.44, 0.07, 0.09], [0.05, 0.20, 0.05], [0.01, 0.03, 0.06]]
    k = cohen_kappa(np.array(table) * 200)
    assert k.p_observed == pytest.approx(0.70)
    assert k.p_expected == pytest.approx(0.41)
    assert round(k.kappa, 3) == 0.492
    assert k.n == pytest.approx(200)


def test_kappa_of_the_cmaj_teaching_examples() -> None:
    # McGinn T et al. (2004), Tips for learners of evidence-based medicine: 3. Measures of
    # observer variability (kappa statistic). CMAJ 171:1369-1373.
    # Fig. 1: each observer finds the sign in 50 % and they agree in 75 %: agreement above
    # chance (25 %) is half the possible (50 %), kappa = 0.5.
    k = cohen_kappa([[37.5, 12.5], [12.5, 37.5]])
    assert (k.p_observed, k.p_expected, k.kappa) == pytest.approx((0.75, 0.5, 0.5))
    # Fig. 3: two clinicians guessing "present" in 60 of 100 at random agree by chance in
    # 36 + 16 = 52 %: kappa 0.
    k = cohen_kappa([[36, 24], [24, 16]])
    assert (k.p_observed, k.p_expected) == pytest.approx((0.52, 0.52))
    assert k.kappa == pytest.approx(0.0)


def test_kappa_rejects_tables_it_cannot_use() -> None:
    for bad in ([[1, 2, 3], [4, 5, 6]], [[1, -1], [0, 2]], [[0, 0], [0, 0]], [[5]]):
        with pytest.raises(InvalidAgreementTableError):
            cohen_kappa(bad)
    # One category used by both coders only: chance agreement is 1, kappa undefined.
    assert np.isnan(cohen_kappa([[10, 0], [0, 0]]).kappa)


def segments(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "interview_id": i,
                "segment_no": n,
                "respondent_id": "S1",
                "role": "supervisor",
                "code": code,
                "start": s,
                "end": e,
                "text": "x" * (e - s),
                "coder": coder,
            }
            for n, (i, coder, code, s, e) in enumerate(rows, start=1)
        ]
    )


#: Coder A: X on [0, 10), Y on [20, 30). Coder B: X on [2, 10), Y on [40, 50).
HAND = segments(
    [
        ("I1", "A", "X", 0, 10),
        ("I1", "A", "Y", 20, 30),
        ("I1", "B", "X", 2, 10),
        ("I1", "B", "Y", 40, 50),
    ]
)


def test_character_agreement_by_hand() -> None:
    out = coder_agreement(HAND, units=["character"]).set_index("code")
    # Coded text: [0,10) + [20,30) + [40,50) = 30 characters.
    # X: both 8, A only 2, B only 0, neither 20: p_o 28/30, p_e (10/30)(8/30) + (20/30)(22/30)
    # = 52/90, kappa (84/90 - 52/90) / (38/90) = 32/38.
    x = out.loc["X"]
    assert (x["both"], x["first_only"], x["second_only"], x["neither"]) == (8, 2, 0, 20)
    assert x["kappa"] == pytest.approx(32 / 38)
    # Y: 0, 10, 10, 10: p_o 1/3, p_e 5/9, kappa -1/2.
    assert out.loc["Y", "kappa"] == pytest.approx(-0.5)
    # Pooled: 8, 12, 10, 30 of 60: p_o 19/30, p_e (1/3)(0.3) + (2/3)(0.7) = 17/30, kappa 2/13.
    pooled = out.loc["all codes"]
    assert pooled["n_units"] == 60
    assert pooled["kappa"] == pytest.approx(2 / 13)
    assert (out["interviews"] == 1).all()


def test_passage_agreement_by_hand() -> None:
    out = coder_agreement(HAND, units=["passage"]).set_index("code")
    # Stretches: [0,10) (both X passages), [20,30), [40,50) = 3 units.
    # X on unit 1 by both: p_o 1, p_e (1/3)^2 + (2/3)^2 = 5/9, kappa 1.
    assert out.loc["X", "kappa"] == pytest.approx(1.0)
    # Y: A on unit 2, B on unit 3: 0, 1, 1, 1: kappa (1/3 - 5/9) / (4/9) = -1/2.
    assert out.loc["Y", "kappa"] == pytest.approx(-0.5)
    # Pooled: 1, 1, 1, 3 of 6: p_o 2/3, p_e 5/9, kappa 1/4.
    assert out.loc["all codes", "kappa"] == pytest.approx(0.25)
    assert out.loc["all codes", "n_units"] == 6


def test_single_coded_interviews_do_not_count_and_none_is_a_named_error() -> None:
    more = pd.concat([HAND, segments([("I2", "A", "X", 0, 5)]).assign(segment_no=9)])
    a = coder_agreement(HAND, units=["character"])
    b = coder_agreement(more, units=["character"])
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(NoDoubleCodingError, match="two coders"):
        coder_agreement(HAND[HAND["coder"] == "A"])
