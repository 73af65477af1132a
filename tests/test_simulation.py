"""The simulator: valid, deterministic, and realistic where the published study says how."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mentorwijs.simulation import PlantedEffects, simulate_package, simulate_study
from mentorwijs.simulation.effects import expected_item
from mentorwijs.studydata import read_package, validate_package


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate_package(tmp_path_factory.mktemp("sim") / "pkg", seed=2023)


def test_it_writes_a_valid_package_with_truth(package: Path) -> None:
    assert validate_package(package) == []
    truth = json.loads((package / "truth.json").read_text())
    profile = truth["employment"]["employed_1h_att_by_event_month"]
    # The published estimates (Schaap et al. 2023) at months 3, 6, 8, 9 and 12.
    assert [profile[m] for m in ("3", "6", "8", "9", "12")] == [0.05, 0.07, 0.11, 0.08, 0.01]
    assert truth["employment"]["placebo_att"] == 0.0


def test_same_seed_gives_the_same_bytes(package: Path, tmp_path: Path) -> None:
    again = simulate_package(tmp_path / "again", seed=2023)
    names = sorted(p.name for p in package.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (package / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_another_study(package: Path, tmp_path: Path) -> None:
    other = simulate_package(tmp_path / "other", seed=2024)
    assert (package / "responses.csv").read_bytes() != (other / "responses.csv").read_bytes()


def test_parquet_register_tables_read_back_equal(package: Path, tmp_path: Path) -> None:
    pq = simulate_package(tmp_path / "pq", seed=2023, parquet=True)
    assert (pq / "register_months.parquet").is_file()
    a = read_package(package, tables=["register_months"]).tables["register_months"]
    b = read_package(pq, tables=["register_months"]).tables["register_months"]
    assert a.equals(b)


def test_the_participant_flow_is_the_published_one(package: Path) -> None:
    # 164 supervisors invited; 127, 95, 91 and 87 completed T0..T3 (Schaap et al. 2023).
    data = read_package(package)
    inv = data["invitations"]
    sup = inv[inv["role"] == "supervisor"]
    assert sup.groupby("wave")["respondent_id"].count().to_dict() == dict.fromkeys(
        ["T0", "T1", "T2", "T3"], 164
    )
    done = sup.dropna(subset=["completed_at"]).groupby("wave")["respondent_id"].count()
    assert done.to_dict() == {"T0": 127, "T1": 95, "T2": 91, "T3": 87}
    assert len(data["training_groups"]) == 19


def test_attendance_and_consent_follow_the_published_shares(package: Path) -> None:
    data = read_package(package)
    attended = data["attendance"].groupby("supervisor_id")["present"].sum()
    shares = attended.value_counts(normalize=True).reindex([5, 4, 3, 2, 1], fill_value=0)
    # 73/18/7/0/1 % attended 5/4/3/2/1 meetings (published shares sum to 99 %).
    np.testing.assert_allclose(shares.to_numpy(), np.array([73, 18, 7, 0, 1]) / 99, atol=0.005)
    emp = data["employees"]
    answered = emp[emp["consent_questionnaire"]]
    assert len(answered) == 118
    assert int(answered["consent_register"].sum()) == 86  # 32 of 118 refused linkage
    assert int(emp["register_person_id"].notna().sum()) == 78  # 8 not found


def test_group_sizes_and_trainers_are_realistic(package: Path) -> None:
    data = read_package(package)
    sizes = data["supervisors"].groupby("training_group_id").size()
    assert sizes.between(5, 18).all()
    groups = data["training_groups"]
    assert (groups["trainer_1_id"] != groups["trainer_2_id"]).all()
    assert 2 <= (groups["mode"] == "online").sum() <= 9


def test_every_treated_person_has_24_months_before_and_12_after(package: Path) -> None:
    data = read_package(package, tables=["register_persons", "register_months"])
    persons, months = data["register_persons"], data["register_months"]
    treated = persons[persons["treated"]]
    assert treated["start_month"].notna().all()
    span = months.groupby("person_id")["month"].agg(["min", "max"])
    t = span.loc[treated["person_id"]]

    def idx(s: object) -> np.ndarray:
        return np.array([int(m[:4]) * 12 + int(m[5:]) for m in s])  # type: ignore[attr-defined]

    start = idx(treated["start_month"])
    assert (start - idx(t["min"]) >= 24).all()
    assert (idx(t["max"]) - start >= 12).all()


def test_controls_come_from_other_regions_and_differ_before_matching(package: Path) -> None:
    persons = read_package(package, tables=["register_persons"])["register_persons"]
    treated, controls = persons[persons["treated"]], persons[~persons["treated"]]
    assert set(controls["region_id"]).isdisjoint({"R10", "R11"})
    assert treated["temporary_contract"].mean() > controls["temporary_contract"].mean() + 0.1
    assert treated["birth_year"].mean() > controls["birth_year"].mean() + 3


def test_scale_answers_carry_the_planted_change(package: Path) -> None:
    data = read_package(package, tables=["responses"])
    r = data["responses"]
    kn = r[(r["instrument"] == "sv_outcomes") & r["item"].str.startswith("kn")]
    means = kn.groupby("wave")["value"].mean()
    truth = json.loads((package / "truth.json").read_text())["supervisor_change"]["knowledge"]
    assert means["T1"] - means["T0"] == pytest.approx(truth["T1"], abs=0.2)
    assert truth["T1"] > 0.4


def test_expected_item_matches_monte_carlo() -> None:
    # E[clip(round(X), 1, 5)] for X ~ N(4.4, 0.8), checked against 10^6 draws.
    x = np.random.default_rng(0).normal(4.4, 0.8, 1_000_000)
    mc = np.clip(np.round(x), 1, 5).mean()
    assert expected_item(4.4, 0.8) == pytest.approx(mc, abs=0.003)


def test_cohort_heterogeneity_keeps_the_average_effect() -> None:
    study = simulate_study(seed=5, effects=PlantedEffects(cohort_heterogeneity=0.8))
    profile = study.truth["employment"]["employed_1h_att_by_event_month"]
    assert profile["8"] == pytest.approx(0.11)


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        simulate_study(scale="planet")  # type: ignore[arg-type]
