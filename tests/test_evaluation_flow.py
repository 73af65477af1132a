"""Participant flow, response per group, attendance and disclosure control, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mentorwijs.evaluation.disclosure import suppress_small_cells
from mentorwijs.evaluation.errors import NoRespondentsError
from mentorwijs.evaluation.flow import (
    attendance_distribution,
    participant_flow,
    response_by_group,
)


def invitations(n: int, done: dict[str, int]) -> pd.DataFrame:
    """``n`` supervisors invited to T0 and T1; the first ``done[w]`` completed wave ``w``."""
    rows = []
    for wave in ("T0", "T1"):
        for i in range(n):
            rows.append(
                {
                    "respondent_id": f"S{i:02d}",
                    "role": "supervisor",
                    "wave": wave,
                    "completed_at": pd.Timestamp("2021-03-01", tz="UTC")
                    if i < done[wave]
                    else pd.NaT,
                }
            )
    return pd.DataFrame(rows)


def test_participant_flow_counts_by_hand() -> None:
    # 20 invited; 16 completed T0 (S00..S15); 12 completed T1 (S00..S11, all also at T0).
    flow = participant_flow(
        invitations(20, {"T0": 16, "T1": 12}), role="supervisor", waves=["T0", "T1"]
    )
    assert flow["invited"].tolist() == [20, 20]
    assert flow["completed"].tolist() == [16, 12]
    assert flow["response_rate"].tolist() == [16 / 20, 12 / 20]
    assert flow["retention"].tolist() == [1.0, 12 / 16]
    assert not flow["suppressed"].any()


def test_retention_counts_only_those_who_also_answered_the_first_wave() -> None:
    inv = invitations(20, {"T0": 16, "T1": 0})
    late = (inv["wave"] == "T1") & inv["respondent_id"].isin(
        ["S18", "S19"] + [f"S{i:02d}" for i in range(10)]
    )
    inv.loc[late, "completed_at"] = pd.Timestamp("2021-04-01", tz="UTC")
    flow = participant_flow(inv, role="supervisor", waves=["T0", "T1"])
    # 12 completed T1, of whom 10 (S00..S09) were among the 16 T0 respondents.
    assert flow.loc[1, "completed"] == 12
    assert flow.loc[1, "retention"] == pytest.approx(10 / 16)


def test_small_flow_cells_are_suppressed() -> None:
    flow = participant_flow(
        invitations(12, {"T0": 9, "T1": 5}), role="supervisor", waves=["T0", "T1"]
    )
    assert flow["suppressed"].tolist() == [True, True]
    assert flow["completed"].isna().all()
    assert flow["response_rate"].isna().all()


def test_a_role_without_invitations_is_a_named_error() -> None:
    with pytest.raises(NoRespondentsError, match="employee"):
        participant_flow(invitations(12, {"T0": 1, "T1": 1}), role="employee", waves=["T0"])


def test_response_by_group_shows_large_groups_and_totals() -> None:
    inv = invitations(15, {"T0": 12, "T1": 6})
    groups = ["G1"] * 11 + ["G2"] * 4
    sup = pd.DataFrame(
        {"supervisor_id": [f"S{i:02d}" for i in range(15)], "training_group_id": groups}
    )
    tg = pd.DataFrame(
        {
            "training_group_id": ["G1", "G2"],
            "region_id": ["R10", "R10"],
            "mode": ["online", "in_person"],
        }
    )
    table = response_by_group(inv, sup, tg, waves=["T0", "T1"]).set_index(["level", "unit", "wave"])
    # G1: 11 invited; S00..S10 → 11 completed T0, 6 completed T1.
    assert table.loc[("group", "G1", "T0"), "completed"] == 11
    assert table.loc[("group", "G1", "T1"), "response_rate"] == pytest.approx(6 / 11)
    # G2 has 4 supervisors: suppressed.
    assert table.loc[("group", "G2", "T0"), "suppressed"]
    assert np.isnan(table.loc[("group", "G2", "T0"), "completed"])
    # The region row covers all 15: 12 completed T0.
    assert table.loc[("region", "R10", "T0"), "completed"] == 12
    assert table.loc[("region", "R10", "T0"), "invited"] == 15


def test_attendance_distribution_by_hand() -> None:
    # 12 supervisors attend 5 meetings, 10 attend 4, one attends 2.
    rows = []
    for i, n in enumerate([5] * 12 + [4] * 10 + [2]):
        for k in range(1, 6):
            rows.append({"supervisor_id": f"S{i}", "meeting_no": k, "present": k <= n})
    dist = attendance_distribution(pd.DataFrame(rows)).set_index("meetings_attended")
    assert dist.loc[5, "supervisors"] == 12
    assert dist.loc[4, "share"] == pytest.approx(10 / 23)
    assert dist.loc[2, "suppressed"]  # one person
    assert dist.loc[0, "supervisors"] == 0  # zero is not disclosive


def test_suppression_leaves_the_input_alone() -> None:
    df = pd.DataFrame({"n": [3, 30], "mean": [1.5, 2.5]})
    out = suppress_small_cells(df, count_cols=["n"], stat_cols=["mean"])
    assert df["n"].tolist() == [3, 30]
    assert out["suppressed"].tolist() == [True, False]
    assert np.isnan(out.loc[0, "mean"])
    assert out.loc[1, "mean"] == 2.5
