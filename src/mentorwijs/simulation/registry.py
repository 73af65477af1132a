"""Simulated registry: regions, organisations, trainers, groups, meetings, supervisors,
attendance and delivery costs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentorwijs.simulation.scales import StudySize, region_names

SECTORS = np.array(
    [
        "public",
        "industry",
        "retail",
        "care",
        "hospitality",
        "services",
        "agriculture",
        "construction",
        "logistics",
        "other",
    ]
)
SECTOR_P = np.array([0.12, 0.14, 0.14, 0.14, 0.1, 0.12, 0.05, 0.07, 0.08, 0.04])
#: Meetings attended 1/2/3/4/5 = 1/0/7/18/73 % (Schaap et al. 2023), renormalised to sum to 1.
ATTENDED_COUNTS = np.array([1, 2, 3, 4, 5])
ATTENDED_P = np.array([1.0, 0.0, 7.0, 18.0, 73.0]) / 99.0
PLANNED_PARTS = 6
SUPERVISORS_PER_GROUP = 164 / 19  # 164 supervisors in 19 groups (Schaap et al. 2023)
ONLINE_SHARE = 5 / 19


def ids(prefix: str, n: int, width: int | None = None) -> np.ndarray:
    """Pseudonyms ``prefix0001`` … as an object array."""
    w = width or max(4, len(str(n)))
    return np.array([f"{prefix}{i:0{w}d}" for i in range(1, n + 1)], dtype=object)


def exact_counts(shares: np.ndarray, n: int) -> np.ndarray:
    """Split ``n`` into whole counts proportional to ``shares`` (largest remainder)."""
    raw = np.asarray(shares, dtype=float) / np.sum(shares) * n
    counts = np.floor(raw).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:rest]] += 1
    return counts


def _group_sizes(rng: np.random.Generator, g: int, total: int) -> np.ndarray:
    """Group sizes of 5–18 that add up to ``total`` (needs 5g <= total <= 18g)."""
    sizes = np.clip(5 + rng.poisson(total / g - 5, g), 5, 18)
    while sizes.sum() != total:
        i = rng.integers(0, g)
        step = 1 if sizes.sum() < total else -1
        if 5 <= sizes[i] + step <= 18:
            sizes[i] += step
    return sizes


@dataclass(frozen=True)
class Registry:
    tables: dict[str, pd.DataFrame]
    group_start: np.ndarray  # datetime64[D] per group
    supervisor_group: np.ndarray  # group index per supervisor
    supervisor_meetings: np.ndarray  # meetings attended per supervisor


def simulate_registry(rng: np.random.Generator, size: StudySize) -> Registry:
    """Draw the delivery side of a study: who was trained where, when and by whom."""
    names = region_names()
    regions = pd.DataFrame({"region_id": list(names), "name": list(names.values())})
    treated = np.array(size.treated_regions, dtype=object)
    g = size.n_groups

    group_region = treated[rng.integers(0, len(treated), g)]
    n_providers = max(1, int(np.ceil(len(treated) / 5)))
    provider_ids = ids("PRV", n_providers, 2)
    region_provider = {r: provider_ids[i % n_providers] for i, r in enumerate(treated)}
    group_provider = np.array([region_provider[r] for r in group_region], dtype=object)
    trainers_per_provider = max(4, int(np.ceil(g / n_providers / 4)))
    trainer_ids = ids("TR", n_providers * trainers_per_provider)
    trainer_provider = np.repeat(provider_ids, trainers_per_provider)
    prov_index = {p: i for i, p in enumerate(provider_ids)}
    pidx = np.array([prov_index[p] for p in group_provider])
    first = rng.integers(0, trainers_per_provider, g)
    second = (first + rng.integers(1, trainers_per_provider, g)) % trainers_per_provider
    trainer_1 = trainer_ids[pidx * trainers_per_provider + first]
    trainer_2 = trainer_ids[pidx * trainers_per_provider + second]

    mode = np.where(rng.random(g) < ONLINE_SHARE, "online", "in_person")
    # Starts on Mondays from 4 January to 29 November 2021: every start has 24 months of
    # register history before it and 12 after it inside the 2019-01..2022-12 extract.
    week = rng.integers(0, 48, g)
    start = np.datetime64("2021-01-04") + (7 * week).astype("timedelta64[D]")
    sizes = _group_sizes(rng, g, round(g * SUPERVISORS_PER_GROUP))
    capacity = np.clip(np.maximum(sizes, rng.integers(8, 19, g)), 8, 18)
    group_ids = ids("G", g)

    training_groups = pd.DataFrame(
        {
            "training_group_id": group_ids,
            "region_id": group_region,
            "provider_id": group_provider,
            "trainer_1_id": trainer_1,
            "trainer_2_id": trainer_2,
            "mode": mode,
            "capacity": capacity,
            "start_date": start.astype("datetime64[s]"),
        }
    )
    meeting_no = np.tile(np.arange(1, 6), g)
    gi = np.repeat(np.arange(g), 5)
    delivered = rng.binomial(PLANNED_PARTS, 0.9, 5 * g)
    meetings = pd.DataFrame(
        {
            "training_group_id": group_ids[gi],
            "meeting_no": meeting_no,
            "date": (start[gi] + (7 * (meeting_no - 1)).astype("timedelta64[D]")).astype(
                "datetime64[s]"
            ),
            "mode": mode[gi],
            "held": np.ones(5 * g, dtype=bool),
            "planned_parts": np.full(5 * g, PLANNED_PARTS),
            "delivered_parts": delivered,
            "duration_minutes": np.round(rng.normal(150, 12, 5 * g)).astype(int),
        }
    )

    n_sup = int(sizes.sum())
    sup_group = np.repeat(np.arange(g), sizes)
    sup_region = group_region[sup_group]
    # Employers: 1–3 supervisors each, in the supervisor's region.
    n_emp = int(np.ceil(n_sup / 1.6))
    emp_region = treated[rng.integers(0, len(treated), n_emp)]
    sup_employer = np.empty(n_sup, dtype=np.int64)
    for r in treated:
        mine = np.flatnonzero(sup_region == r)
        pool = np.flatnonzero(emp_region == r)
        if len(pool) == 0:
            pool = np.array([rng.integers(0, n_emp)])
            emp_region[pool[0]] = r
        sup_employer[mine] = pool[rng.integers(0, len(pool), len(mine))]
    emp_ids = ids("O", n_emp, max(5, len(str(n_emp))))
    size_class = rng.choice(["small", "medium", "large"], n_emp, p=[0.5, 0.3, 0.2])
    sector = rng.choice(SECTORS, n_emp, p=SECTOR_P)
    sheltered = rng.random(n_emp) < 0.08
    municipality_ids = np.array([f"GEM-{r}" for r in treated], dtype=object)
    organisations = pd.concat(
        [
            pd.DataFrame(
                {
                    "organisation_id": municipality_ids,
                    "kind": "municipality",
                    "region_id": treated,
                    "sector": None,
                    "size_class": None,
                    "sheltered": None,
                }
            ),
            pd.DataFrame(
                {
                    "organisation_id": emp_ids,
                    "kind": "employer",
                    "region_id": emp_region,
                    "sector": sector,
                    "size_class": size_class,
                    "sheltered": sheltered,
                }
            ),
            pd.DataFrame(
                {
                    "organisation_id": provider_ids,
                    "kind": "provider",
                    "region_id": [treated[i * 5 % len(treated)] for i in range(n_providers)],
                    "sector": None,
                    "size_class": None,
                    "sheltered": None,
                }
            ),
        ],
        ignore_index=True,
    )
    trainers = pd.DataFrame({"trainer_id": trainer_ids, "provider_id": trainer_provider})

    sup_ids = ids("S", n_sup, max(5, len(str(n_sup))))
    supervisors = pd.DataFrame(
        {
            "supervisor_id": sup_ids,
            "organisation_id": emp_ids[sup_employer],
            "training_group_id": group_ids[sup_group],
            "sex": rng.choice(["f", "m", "x"], n_sup, p=[0.48, 0.515, 0.005]),
            "age": np.clip(np.round(rng.normal(44, 10, n_sup)), 21, 67).astype(int),
            "years_experience": np.clip(np.round(rng.gamma(2.0, 4.5, n_sup)), 0, 45).astype(int),
            "employees_guided": np.clip(rng.geometric(0.2, n_sup), 1, 40),
        }
    )

    attended = rng.permutation(np.repeat(ATTENDED_COUNTS, exact_counts(ATTENDED_P, n_sup)))
    # Which meetings: rank five uniforms per supervisor and keep the `attended` smallest.
    ranks = np.argsort(np.argsort(rng.random((n_sup, 5)), axis=1), axis=1)
    present = ranks < attended[:, None]
    attendance = pd.DataFrame(
        {
            "training_group_id": np.repeat(group_ids[sup_group], 5),
            "meeting_no": np.tile(np.arange(1, 6), n_sup),
            "supervisor_id": np.repeat(sup_ids, 5),
            "present": present.ravel(),
        }
    )

    costs = _costs(training_groups, sizes)
    tables = {
        "regions": regions,
        "organisations": organisations,
        "trainers": trainers,
        "training_groups": training_groups,
        "meetings": meetings,
        "supervisors": supervisors,
        "attendance": attendance,
        "costs": costs,
    }
    return Registry(tables, start, sup_group, attended)


#: Default prices of a group (euros), marked as simulated; the cost–benefit parameter file
#: holds the sourced defaults and ranges.
TRAINER_RATE = 95.0
TRAINER_HOURS_PER_MEETING = 2.5 + 1.0  # meeting and preparation
TRAVEL_HOURS_PER_MEETING = 0.5  # in person only
VENUE_PER_MEETING = 150.0
MEAL_PER_PERSON = 15.0
MATERIALS_PER_PERSON = 25.0
LICENCE_PER_GROUP = 500.0
COORDINATION_HOURS = 16.0
COORDINATION_RATE = 62.5


def _costs(groups: pd.DataFrame, sizes: np.ndarray) -> pd.DataFrame:
    rows = []
    for (gid, region, mode), n in zip(
        groups[["training_group_id", "region_id", "mode"]].itertuples(index=False),
        sizes,
        strict=True,
    ):
        travel = TRAVEL_HOURS_PER_MEETING if mode == "in_person" else 0.0
        hours = 2 * 5 * (TRAINER_HOURS_PER_MEETING + travel)
        lines = [
            ("trainer_hours", "trainer", "municipality", hours, "hour", TRAINER_RATE),
            ("materials", "materials", "municipality", float(n), "person", MATERIALS_PER_PERSON),
            ("licence", "licence", "municipality", 1.0, "group", LICENCE_PER_GROUP),
            (
                "coordination",
                "coordination",
                "municipality",
                COORDINATION_HOURS,
                "hour",
                COORDINATION_RATE,
            ),
        ]
        if mode == "in_person":
            lines += [
                ("venue", "venue", "municipality", 5.0, "meeting", VENUE_PER_MEETING),
                ("meals", "meals", "municipality", 5.0 * (n + 2), "person", MEAL_PER_PERSON),
            ]
        for k, (item, cat, payer, qty, unit, price) in enumerate(lines, start=1):
            rows.append((f"{gid}-C{k}", gid, region, item, cat, payer, qty, unit, price))
    out = pd.DataFrame(
        rows,
        columns=[
            "cost_id",
            "training_group_id",
            "region_id",
            "item",
            "category",
            "payer",
            "quantity",
            "unit",
            "unit_cost",
        ],
    )
    out["source"] = "simulated"
    return out
