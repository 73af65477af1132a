"""Benchmark: the register evaluation at national scale, end to end from the Parquet files.

5,000 treated employees against 500,000 controls x 48 months: outcomes and matching
covariates from the panel, propensity-score matching on the characteristics (1:10 nearest
neighbours, as the pipeline does), the stacked event-study difference-in-differences with
person-clustered errors, the pre-trend test and the placebo test. Then the same matched,
stacked panel through off-the-shelf software:

* pyfixest ``feols("y ~ i(event, treated, ref=-1) | unit + set^event", weights="weight",
  vcov={"CRV1": "cluster"})`` on the whole stacked panel (2 million rows), in a subprocess so
  that its memory is not counted as ours;
* statsmodels ``WLS`` with unit and set x event dummies and ``cov_type="cluster"`` on a
  subsample of 20 matched sets (a dense design of about 8,000 x 1,000; the whole panel would
  need 3 TB as dense dummies).

Targets (issue "Register evaluation"): mentorwijs route under 15 s and 4 GB peak memory;
estimates identical to pyfixest to 1e-6; at least 5x faster than pyfixest's fit.
Needs pyfixest (benchmark only: ``pip install pyfixest``). Reuses /tmp/national when it holds
a package; otherwise runs ``mentorwijs simulate --scale national`` once (40 s, 5 GB).
Run: .venv/bin/python benchmarks/evaluate_national.py [--data /tmp/national]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, peak_mb

from mentorwijs.evaluation.did import event_study
from mentorwijs.evaluation.employment import CHARACTERISTICS
from mentorwijs.evaluation.matching import match
from mentorwijs.evaluation.register import employment_outcomes, matching_covariates

OUTCOME = "employed_1h"


def ensure_package(path: Path) -> None:
    if (path / "datapackage.json").exists():
        return
    cli = Path(sys.executable).with_name("mentorwijs")
    print(f"simulating the national package into {path} (once)")
    cmd = [str(cli), "simulate", "--out", str(path), "--scale", "national"]
    subprocess.run(cmd, check=True)


def mentorwijs_route(path: Path) -> dict[str, object]:
    """Everything from the Parquet files to the tests; returns timings and results."""
    t = {"start": time.perf_counter()}
    persons = pd.read_parquet(path / "register_persons.parquet")
    months = pq.read_table(
        path / "register_months.parquet",
        columns=["person_id", "month", "hours", "wage", "benefit"],
        read_dictionary=["person_id", "month", "benefit"],
    ).to_pandas()
    t["read"] = time.perf_counter()
    outcomes = employment_outcomes(months, person_ids=persons["person_id"])
    del months
    t["outcomes"] = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # incomplete 24-month histories are expected
        covariates = matching_covariates(persons, outcomes)
    t["covariates"] = time.perf_counter()
    sets = match(covariates, columns=CHARACTERISTICS, k=10).sets
    t["matching"] = time.perf_counter()
    res = event_study(sets, outcomes, outcome=OUTCOME)
    t["did"] = time.perf_counter()
    pre = res.pretrend_test().iloc[0]
    plc = res.placebo(shift=6).test().iloc[0]
    t["tests"] = time.perf_counter()
    return {"t": t, "res": res, "pre": pre, "placebo": plc, "sets": sets, "outcomes": outcomes}


def off_the_shelf(long_path: Path) -> None:
    """Subprocess: pyfixest on the stacked panel; prints one JSON line."""
    import pyfixest as pf

    df = pd.read_parquet(long_path)
    df["set"] = pd.factorize(df["set_id"])[0]
    df["treated"] = df["treated"].astype(float)
    started = time.perf_counter()
    fit = pf.feols(
        f"{OUTCOME} ~ i(event, treated, ref=-1) | unit + set^event",
        data=df,
        weights="weight",
        vcov={"CRV1": "cluster"},
    )
    seconds = time.perf_counter() - started
    tidy = fit.tidy()
    events = [int(str(n).split("::")[1].split(":")[0].split("]")[0]) for n in tidy.index]
    order = np.argsort(events)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "events": np.asarray(events)[order].tolist(),
                "estimate": tidy["Estimate"].to_numpy()[order].tolist(),
                "se": tidy["Std. Error"].to_numpy()[order].tolist(),
                "peak_mb": peak_mb(),
            }
        )
    )


def statsmodels_subsample(res_sets: pd.DataFrame, outcomes: pd.DataFrame, n_sets: int) -> dict:
    """statsmodels WLS with dummies on the first ``n_sets`` matched sets, against ours."""
    import statsmodels.api as sm

    keep = res_sets["set_id"].isin(res_sets["set_id"].drop_duplicates().iloc[:n_sets])
    sub = res_sets[keep]
    ours = event_study(sub, outcomes, outcome=OUTCOME, variance="regression", ssc="rank")
    long = ours.panel.to_long()
    events = np.sort(long["event"].unique())
    eff = pd.DataFrame(
        {e: ((long["event"] == e) & long["treated"]).astype(float) for e in events[events != -1]}
    )
    units = pd.get_dummies(long["unit"], dtype=float)
    cells = pd.get_dummies(
        (long["set_id"].astype(str) + "_" + long["event"].astype(str)).where(
            long["event"] != events[0]
        ),
        dtype=float,
    )
    x = np.hstack([eff.to_numpy(), units.to_numpy(), cells.to_numpy()])
    started = time.perf_counter()
    fit = sm.WLS(long[OUTCOME].to_numpy(float), x, weights=long["weight"].to_numpy()).fit(
        cov_type="cluster", cov_kwds={"groups": long["cluster"].to_numpy()}
    )
    seconds = time.perf_counter() - started
    q = eff.shape[1]
    return {
        "seconds": seconds,
        "shape": x.shape,
        "diff_estimate": float(np.abs(fit.params[:q] - ours.estimate).max()),
        "diff_se": float(np.abs(fit.bse[:q] - ours.se).max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("/tmp/national"))
    parser.add_argument("--off-the-shelf", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.off_the_shelf:
        off_the_shelf(args.off_the_shelf)
        return
    print(describe(("numpy", "pandas", "pyarrow", "scipy", "statsmodels", "pyfixest")))
    ensure_package(args.data)

    run = mentorwijs_route(args.data)
    ours_peak = peak_mb()
    t = run["t"]
    steps = ["read", "outcomes", "covariates", "matching", "did", "tests"]
    marks = [t["start"]] + [t[s] for s in steps]
    total = marks[-1] - marks[0]
    res, pre, plc = run["res"], run["pre"], run["placebo"]
    print(
        "mentorwijs route: "
        + ", ".join(
            f"{s} {b - a:.2f} s" for s, a, b in zip(steps, marks[:-1], marks[1:], strict=True)
        )
        + f"; total {total:.1f} s; peak {ours_peak:.0f} MB"
    )
    print(
        f"{res.n_sets} matched sets, {res.n_units} persons, {res.n_obs} stacked person-months; "
        f"pre-trends chi2({pre['df']}) = {pre['statistic']:.1f} (p = {pre['p_val']:.2g}); "
        f"placebo chi2({plc['df']}) = {plc['statistic']:.1f} (p = {plc['p_val']:.2g})"
    )
    print(res.tidy().query("event_month >= 0").round(4).to_string(index=False))

    # The off-the-shelf route on the same matched, stacked panel.
    regression = event_study(
        run["sets"], run["outcomes"], outcome=OUTCOME, variance="regression", ssc="nested"
    )
    with tempfile.TemporaryDirectory() as tmp:
        long_path = Path(tmp) / "stacked.parquet"
        res.panel.to_long().to_parquet(long_path)
        proc = subprocess.run(
            [sys.executable, __file__, "--off-the-shelf", str(long_path)],
            check=True,
            capture_output=True,
            text=True,
        )
    fx = json.loads(proc.stdout.strip().splitlines()[-1])
    if fx["events"] != res.event_months.tolist():
        raise SystemExit(f"pyfixest returned event months {fx['events']}")
    diff = float(np.abs(np.asarray(fx["estimate"]) - res.estimate).max())
    diff_se = float(np.abs(np.asarray(fx["se"]) - regression.se).max())
    ours_fit = t["did"] - t["matching"]
    speedup = fx["seconds"] / ours_fit
    print(
        f"pyfixest feols: {fx['seconds']:.1f} s (peak {fx['peak_mb']:.0f} MB) against our "
        f"stack + fit {ours_fit:.2f} s: speedup {speedup:.1f}x; largest difference "
        f"{diff:.2e} in the estimates, {diff_se:.2e} in the CRV1 standard errors "
        "(our variance='regression', ssc='nested')"
    )
    sm_run = statsmodels_subsample(run["sets"], run["outcomes"], 20)
    print(
        f"statsmodels WLS with dummies on 20 sets ({sm_run['shape'][0]} x {sm_run['shape'][1]}): "
        f"{sm_run['seconds']:.1f} s; largest difference {sm_run['diff_estimate']:.2e} "
        f"(estimates), {sm_run['diff_se']:.2e} (clustered SEs, ssc='rank')"
    )
    print(
        f"RESULT seconds={total:.1f} peak_mb={ours_peak:.0f} speedup={speedup:.1f} "
        f"max_abs_diff={diff:.1e}"
    )


if __name__ == "__main__":
    main()
