"""The command line: exit codes and messages for people, never a traceback for bad data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from mentorwijs.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_says_valid_and_exits_0(tiny_package: Path) -> None:
    code, out = run("validate", str(tiny_package))
    assert code == 0
    assert out.strip().endswith("geldig.")


def test_validate_lists_problems_in_dutch_and_exits_2(tiny_package: Path) -> None:
    path = tiny_package / "supervisors.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw.assign(age=["veertig", "38"]).to_csv(path, index=False)
    code, out = run("validate", str(tiny_package))
    assert code == 2
    assert "1 probleem gevonden" in out
    assert "supervisors, rij 1, kolom age: 'veertig' is geen geheel getal." in out
    assert "Traceback" not in out


def test_validate_speaks_english_when_asked(tmp_path: Path) -> None:
    code, out = run("--lang", "en", "validate", str(tmp_path))
    assert code == 2
    assert "The folder has no datapackage.json" in out


def test_evaluate_refuses_an_invalid_package_with_exit_2(
    tiny_package: Path, tmp_path: Path
) -> None:
    (tiny_package / "meetings.csv").unlink()
    code, out = run("evaluate", str(tiny_package), "--out", str(tmp_path / "result"))
    assert code == 2
    assert "meetings" in out
    assert "Traceback" not in out
    assert not (tmp_path / "result").exists()


def test_params_set_norm_adds_a_dated_value_and_keeps_the_history(tmp_path: Path) -> None:
    from mentorwijs.protocol import load_cost_parameters

    file = tmp_path / "params.yaml"
    assert run("params", "export", "--out", str(file))[0] == 0
    before = load_cost_parameters(file).get("social_assistance_norm")
    code, out = run("params", "set-norm", str(file), "--date", "2026-01-01", "--amount", "1401.21")
    assert code == 0, out
    after = load_cost_parameters(file).get("social_assistance_norm")
    assert after.value == 1401.21
    assert str(after.date) == "2026-01-01"
    assert [h.value for h in after.history][:-1] == [h.value for h in before.history]


def test_a_broken_parameter_file_gets_one_line_and_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("parameters: {trainer_hourly_rate: {value: -1}}\n")
    code, out = run("params", "set-norm", str(bad), "--date", "2026-01-01", "--amount", "1")
    assert code == 1
    assert "het parameterbestand" in out
    assert "mentorwijs params export" in out
    assert "Traceback" not in out


def test_cost_benefit_writes_tables_and_figures(tmp_path: Path) -> None:
    from mentorwijs.evaluation.pipeline import evaluate_package
    from mentorwijs.simulation import simulate_package
    from mentorwijs.studydata import read_package

    pkg = simulate_package(tmp_path / "pkg", seed=3)
    result = evaluate_package(
        read_package(pkg),
        created_at="2026-11-25T00:00:00Z",
        settings={"imputations": 0, "cost_benefit_draws": 0},
    )
    result.save(pkg / "result")
    assert "cb_summary" not in result.tables  # switched off in the evaluation itself
    code, out = run("cost-benefit", str(pkg), "--out", str(tmp_path / "cb"), "--draws", "2000")
    assert code == 0, out
    summary = pd.read_csv(tmp_path / "cb" / "cb_summary.csv")
    assert {"public_budget", "municipality", "mkba"} <= set(summary["view"])
    assert (tmp_path / "cb" / "cb_tornado.svg").read_text().lstrip().startswith("<?xml")
    psa = pd.read_csv(tmp_path / "cb" / "cb_psa_summary.csv")
    assert (psa["n_draws"] == 2000).all()


def test_cost_benefit_without_a_result_says_what_to_run(tmp_path: Path, tiny_package: Path) -> None:
    code, out = run("--lang", "en", "cost-benefit", str(tiny_package), "--out", str(tmp_path))
    assert code == 1
    assert "run `mentorwijs evaluate" in out


def test_evaluate_refuses_a_setting_it_does_not_know(tiny_package: Path, tmp_path: Path) -> None:
    code, out = run(
        "--lang", "en", "evaluate", str(tiny_package), "--out", str(tmp_path / "r"), "--set", "kk=3"
    )
    assert code == 1
    assert "unknown setting(s) ['kk']" in out
    assert not (tmp_path / "r").exists()


def test_evaluate_runs_on_a_pilot_and_says_what_it_left_out(
    tiny_package: Path, tmp_path: Path
) -> None:
    # One supervisor with a T0 answer only, one treated person: the flow and attendance can
    # be reported, the change from T0 and the matching cannot yet; the result says so.
    code, out = run("--lang", "en", "evaluate", str(tiny_package), "--out", str(tmp_path / "r"))
    assert code == 0, out
    assert "left out (supervisor outcomes" in out
    assert "needs scores at T0 and at a later wave" in out
    doc = json.loads((tmp_path / "r" / "result.json").read_text())
    assert set(doc["diagnostics"]["skipped"]) >= {
        "supervisor outcomes (mixed models, attrition, multiple imputation)",
        "employment: matching, event study, placebo, subgroups, retention",
    }
    assert {"flow_supervisors", "attendance"} <= set(doc["tables"])
