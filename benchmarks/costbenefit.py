"""Benchmark: the cost–benefit analysis with 100,000 draws over 60 months, for every region.

Target (issue 7): under 1 s per region on this machine. Each of the 35 labour-market
regions gets its own parameters (a seeded regional price level on hourly rates and venues,
and its own contract hours), so the distribution fits are redone per region; the registry
is a simulated study and the effect profile the simulator's planted one with the published
standard error (about 0.056: the published 95 % intervals are about +-0.11 wide).

Each region's time is one whole ``cost_benefit`` call: cost model, summary, tornado and the
probabilistic analysis (100,000 joint draws of every parameter and the effect profile). Wall
time depends on what else the machine runs, so processor time is printed too.
Run: .venv/bin/python benchmarks/costbenefit.py [--seed N] [--draws N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, peak_mb

from mentorwijs.evaluation.costbenefit import cost_benefit
from mentorwijs.protocol.costs import CostParameters, load_cost_parameters, with_parameter
from mentorwijs.simulation import simulate_study
from mentorwijs.simulation.scales import region_names

PRICED = (
    "trainer_hourly_rate",
    "coordination_hourly_rate",
    "venue_per_meeting",
    "supervisor_hourly_wage_cost",
    "job_coach_hourly_rate",
)


def regional_parameters(base: CostParameters, rng: np.random.Generator) -> CostParameters:
    """A region's parameters: its price level on rates and venues, its contract hours."""
    level = float(np.exp(rng.normal(0.0, 0.1)))
    params = base
    for name in PRICED:
        p = base.get(name)
        params = with_parameter(
            params, name, value=p.value * level, low=p.low * level, high=p.high * level
        )
    hours = float(rng.uniform(20.0, 28.0))
    return with_parameter(params, "hours_per_week", value=hours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--horizon", type=int, default=60)
    args = parser.parse_args()
    print(describe(("numpy", "pandas", "scipy")))
    study = simulate_study(seed=args.seed)
    planted = study.truth["employment"]["employed_1h_att_by_event_month"]
    effect = pd.DataFrame(
        {
            "event_month": [int(k) for k in planted],
            "estimate": list(planted.values()),
            "se": 0.056,
        }
    )
    base = load_cost_parameters()
    rng = np.random.default_rng(args.seed)
    rows = []
    for i, (code, name) in enumerate(region_names().items()):
        params = regional_parameters(base, rng)
        start, cpu = time.perf_counter(), time.process_time()
        result = cost_benefit(
            study.tables,
            effect,
            params=params,
            horizon_months=args.horizon,
            n_draws=args.draws,
            seed=args.seed + i,
        )
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        psa = result.psa_summary.set_index("view")
        rows.append(
            {
                "region": code,
                "name": name,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "npv_public_mean": psa.loc["public_budget", "npv_mean"],
                "p_public_positive": psa.loc["public_budget", "p_npv_positive"],
                "npv_mkba_mean": psa.loc["mkba", "npv_mean"],
            }
        )
        print(
            f"{code} {name:<36} {seconds:6.3f} s (cpu {cpu:5.3f} s)"
            f"  public NPV {rows[-1]['npv_public_mean']:>10,.0f}"
            f"  P(>0) {rows[-1]['p_public_positive']:.3f}",
            flush=True,
        )
    table = pd.DataFrame(rows)
    secs = table["seconds"].to_numpy()
    cpus = table["cpu_seconds"].to_numpy()
    print(
        f"{len(table)} regions x {args.draws:,} draws x {args.horizon} months: "
        f"mean {secs.mean():.3f} s, median {np.median(secs):.3f} s, max {secs.max():.3f} s "
        f"per region (target < 1 s); processor time {cpus.mean():.3f} s per region "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"RESULT seconds_per_region={secs.mean():.3f} max_seconds={secs.max():.3f} "
        f"cpu_seconds_per_region={cpus.mean():.3f} "
        f"draws={args.draws} months={args.horizon} regions={len(table)} peak_mb={peak_mb():.0f}"
    )


if __name__ == "__main__":
    main()
