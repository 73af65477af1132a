"""``simulate_study``: a whole study with known truth; ``simulate_package`` writes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mentorwijs.protocol import load_protocol
from mentorwijs.simulation.effects import PlantedEffects, observed_change
from mentorwijs.simulation.interviews import simulate_interviews
from mentorwijs.simulation.questionnaires import (
    SATISFACTION_MEANS,
    SATISFACTION_SHARES,
    simulate_employees,
    simulate_supervisor_answers,
)
from mentorwijs.simulation.register import simulate_register
from mentorwijs.simulation.registry import simulate_registry
from mentorwijs.simulation.scales import ScaleName, region_names, study_size
from mentorwijs.studydata import coerce_table, write_package

#: Independent random streams, one per part, so that changing one part leaves the others.
#: A new part gets a new stream at the end (``SeedSequence.spawn`` keeps the earlier ones).
_STREAMS = ("registry", "supervisors", "employees", "register", "interviews")


@dataclass(frozen=True)
class SimulatedStudy:
    """A simulated study: canonical tables, the planted truth and the package metadata."""

    tables: dict[str, pd.DataFrame]
    truth: dict[str, Any]
    meta: dict[str, Any]


def simulate_study(
    *, seed: int = 2023, scale: ScaleName = "study", effects: PlantedEffects | None = None
) -> SimulatedStudy:
    """Simulate a whole Mentorwijs study with planted, known effects.

    Parameters
    ----------
    seed
        Seed of ``numpy.random.SeedSequence``; the same seed gives the same study.
    scale
        ``"study"``: the published study's size (19 groups, ~164 supervisors, ~118 answering
        employees, a pool of 6,000 register controls); ``"region"``: about ten times that;
        ``"national"``: 5,000 treated employees against 500,000 controls × 48 months.
    effects
        The planted effects; defaults follow the published study (see ``truth.json``).

    Returns
    -------
    SimulatedStudy
        ``tables`` in canonical form, ``truth`` (JSON-ready) and ``meta`` for the descriptor.

    Examples
    --------
    >>> study = simulate_study(seed=1)
    >>> sorted(study.truth["supervisor_change"])
    ['behaviour', 'intention', 'knowledge', 'self_efficacy']
    """
    effects = effects or PlantedEffects()
    size = study_size(scale)
    protocol = load_protocol()
    rngs = dict(
        zip(
            _STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS))),
            strict=True,
        )
    )
    reg = simulate_registry(rngs["registry"], size)
    t = dict(reg.tables)
    sup = t["supervisors"]
    sup_start = reg.group_start[reg.supervisor_group]
    inv_s, resp_s = simulate_supervisor_answers(
        rngs["supervisors"], protocol, effects, sup, sup_start, reg.supervisor_meetings
    )
    employees, inv_e, resp_e = simulate_employees(
        rngs["employees"], protocol, sup, sup_start, size.target_treated
    )

    linked = employees["_linked"].to_numpy()
    sup_index = employees["_sup_index"].to_numpy()[linked]
    orgs = t["organisations"].set_index("organisation_id")
    employer = orgs.loc[sup["organisation_id"].to_numpy()[sup_index]]
    starts = sup_start[sup_index].astype("datetime64[M]").astype(str)
    treated_regions = np.array(size.treated_regions, dtype=object)
    others = np.array([r for r in region_names() if r not in size.treated_regions], dtype=object)
    persons, months, register_truth = simulate_register(
        rngs["register"],
        effects=effects,
        treated_start=starts,
        treated_region=employer["region_id"].to_numpy(),
        treated_sector=employer["sector"].to_numpy(),
        treated_size=employer["size_class"].to_numpy(),
        treated_sheltered=employer["sheltered"].to_numpy().astype(bool),
        control_regions=others if len(others) else treated_regions,
        n_controls=size.control_pool,
        extract_start=size.extract_start,
        extract_end=size.extract_end,
    )
    person_of_employee = np.full(len(employees), None, dtype=object)
    person_of_employee[np.flatnonzero(linked)] = persons["person_id"].to_numpy()[: linked.sum()]
    employees = employees.drop(columns=["_linked", "_sup_index"]).assign(
        register_person_id=person_of_employee
    )

    t.update(
        employees=employees,
        register_persons=persons,
        register_months=months,
        invitations=pd.concat([inv_s, inv_e], ignore_index=True),
        responses=pd.concat([resp_s, resp_e], ignore_index=True),
    )
    interviews = simulate_interviews(rngs["interviews"], t)
    t["interview_segments"] = interviews.segments
    tables = {name: coerce_table(name, df) for name, df in t.items()}
    sv = protocol.instruments["sv_outcomes"]
    truth = {
        "seed": seed,
        "scale": scale,
        "estimands": {
            "employment": "ATT on P(employed >= 1 hour in the month) of treated persons by "
            "month since the start (0 = start month); zero before the start (placebo).",
            "supervisor_change": "Population mean change from T0 in the observed scale score "
            "(mean of the scale's items on 1-5, reverse items reversed), by wave.",
        },
        "employment": register_truth,
        "supervisor_change": {
            sc.code: observed_change(effects, sc.code, len(sc.items)) for sc in sv.scales
        },
        "supervisor_change_latent": {
            k: dict(zip(("T1", "T2", "T3"), v[2], strict=True)) for k, v in effects.scales.items()
        },
        "planted": {
            "attendance_shares": {"5": 73 / 99, "4": 18 / 99, "3": 7 / 99, "2": 0.0, "1": 1 / 99},
            "supervisor_completion": {
                "T0": 127 / 164,
                "T1": 95 / 164,
                "T2": 91 / 164,
                "T3": 87 / 164,
            },
            "consent_register": 86 / 118,
            "satisfaction_shares": {
                item: dict(zip(("1", "2", "3", "4", "5"), shares, strict=True))
                for item, shares in SATISFACTION_SHARES.items()
            },
            "satisfaction_means": dict(SATISFACTION_MEANS),
            "interviews": interviews.truth,
        },
        "counts": {
            "training_groups": len(tables["training_groups"]),
            "supervisors": len(tables["supervisors"]),
            "employees": len(tables["employees"]),
            "employees_answered": int(tables["employees"]["consent_questionnaire"].sum()),
            "treated": int(tables["register_persons"]["treated"].sum()),
            "control_pool": size.control_pool,
        },
    }
    meta = {
        "extract_start": size.extract_start,
        "extract_end": size.extract_end,
        "protocol_version": protocol.version,
        "seed": seed,
        "scale": scale,
        "simulated": True,
    }
    return SimulatedStudy(tables=tables, truth=truth, meta=meta)


def simulate_package(
    out: Path,
    *,
    seed: int = 2023,
    scale: ScaleName = "study",
    effects: PlantedEffects | None = None,
    parquet: bool | None = None,
) -> Path:
    """Simulate a study and write it as a study data package plus ``truth.json``.

    ``parquet=None`` writes the register tables as Parquet at national scale and everything
    as CSV otherwise. The same arguments give byte-identical files.
    """
    study = simulate_study(seed=seed, scale=scale, effects=effects)
    use_parquet = scale == "national" if parquet is None else parquet
    out = write_package(
        Path(out),
        study.tables,
        meta=study.meta,
        parquet=("register_persons", "register_months") if use_parquet else (),
    )
    (out / "truth.json").write_text(
        json.dumps(study.truth, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return out
