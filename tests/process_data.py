"""A hand-made study for the process-evaluation tests; every figure is worked out by hand
in the tests that use it.

Two training groups:

- G1, region R10, in person, trainers TR1 and TR2. Meetings all held, 6 parts planned
  each, delivered 6, 5, 6, 6, 4 (27 of 30); 150, 140, 150, 155, 120 minutes.
  Supervisors S1 (5 meetings), S2 (3: meetings 1-3), S3 (0), all at employer E1 (R10).
- G2, region R11, online, trainer TR2 only. Meeting 3 not held; meeting 4 held but not
  logged; delivered 6, 6, -, -, 3 of 6 each; 90, 90, -, 95, 85 minutes.
  Supervisors S4 (4: all held meetings), S5 (1: meeting 1), at employer E2 (R11, public).
- S6 was invited (employer E2) but never enrolled.
- Employees: E01, E02 (of S1), E03 (of S3), E04 (of S4); E01 is register person P001.

T1 answers (S3 did not answer T1):

============  ==  ==  ==  ==
item          S1  S2  S4  S5
============  ==  ==  ==  ==
sat_general   5   4   3   4
sat_trainers  5   5   4   -
extra_time    1   0   1   1
extra_hours   4   5   -   2
det_feedback  2   1   3   2
det_endorse.  2   2   2   4
det_time      4   5   3   4
det_resources 3   3   3   3
det_colleag.  5   4   5   5
============  ==  ==  ==  ==

S2's extra_hours of 5 goes with extra_time = 0 and must not count.
"""

from __future__ import annotations

import pandas as pd

from conftest import tiny_tables
from mentorwijs.studydata import coerce_table

T1 = {
    "S1": {
        "sat_general": 5,
        "sat_trainers": 5,
        "extra_time": 1,
        "extra_hours": 4,
        "det_feedback": 2,
        "det_endorsement": 2,
        "det_time": 4,
        "det_resources": 3,
        "det_colleagues": 5,
    },
    "S2": {
        "sat_general": 4,
        "sat_trainers": 5,
        "extra_time": 0,
        "extra_hours": 5,
        "det_feedback": 1,
        "det_endorsement": 2,
        "det_time": 5,
        "det_resources": 3,
        "det_colleagues": 4,
    },
    "S4": {
        "sat_general": 3,
        "sat_trainers": 4,
        "extra_time": 1,
        "det_feedback": 3,
        "det_endorsement": 2,
        "det_time": 3,
        "det_resources": 3,
        "det_colleagues": 5,
    },
    "S5": {
        "sat_general": 4,
        "extra_time": 1,
        "extra_hours": 2,
        "det_feedback": 2,
        "det_endorsement": 4,
        "det_time": 4,
        "det_resources": 3,
        "det_colleagues": 5,
    },
}
ATTENDED = {"S1": [1, 2, 3, 4, 5], "S2": [1, 2, 3], "S3": [], "S4": [1, 2, 4, 5], "S5": [1]}
GROUP = {"S1": "G1", "S2": "G1", "S3": "G1", "S4": "G2", "S5": "G2"}


def process_tables() -> dict[str, pd.DataFrame]:
    """The tiny study of ``conftest`` with the registry and answers above."""
    t = {k: v.copy() for k, v in tiny_tables().items()}
    t["organisations"] = pd.DataFrame(
        {
            "organisation_id": ["O1", "E1", "E2", "P1"],
            "kind": ["municipality", "employer", "employer", "provider"],
            "region_id": ["R10", "R10", "R11", "R10"],
            "sector": [None, "retail", "public", None],
            "size_class": [None, "small", "large", "small"],
            "sheltered": [None, False, False, None],
        }
    )
    t["trainers"] = pd.DataFrame({"trainer_id": ["TR1", "TR2"], "provider_id": ["P1", "P1"]})
    t["training_groups"] = pd.DataFrame(
        {
            "training_group_id": ["G1", "G2"],
            "region_id": ["R10", "R11"],
            "provider_id": ["P1", "P1"],
            "trainer_1_id": ["TR1", "TR2"],
            "trainer_2_id": ["TR2", None],
            "mode": ["in_person", "online"],
            "capacity": [12, 10],
            "start_date": [pd.Timestamp("2019-03-04"), pd.Timestamp("2019-03-05")],
        }
    )
    t["meetings"] = pd.DataFrame(
        {
            "training_group_id": ["G1"] * 5 + ["G2"] * 5,
            "meeting_no": [1, 2, 3, 4, 5] * 2,
            "date": list(pd.date_range("2019-03-04", periods=5, freq="7D"))
            + list(pd.date_range("2019-03-05", periods=5, freq="7D")),
            "mode": ["in_person"] * 5 + ["online"] * 5,
            "held": [True] * 5 + [True, True, False, True, True],
            "planned_parts": [6] * 10,
            "delivered_parts": [6, 5, 6, 6, 4, 6, 6, None, None, 3],
            "duration_minutes": [150, 140, 150, 155, 120, 90, 90, None, 95, 85],
        }
    )
    t["supervisors"] = pd.DataFrame(
        {
            "supervisor_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
            "organisation_id": ["E1", "E1", "E1", "E2", "E2", "E2"],
            "training_group_id": ["G1", "G1", "G1", "G2", "G2", None],
            "sex": ["f", "m", "f", "m", "f", "m"],
            "age": [45, 38, 50, 41, 29, 60],
            "years_experience": [10, 3, 20, 8, 2, 30],
            "employees_guided": [2, 1, 12, 3, 1, 5],
        }
    )
    t["attendance"] = pd.DataFrame(
        [
            {
                "training_group_id": GROUP[s],
                "meeting_no": m,
                "supervisor_id": s,
                "present": m in ATTENDED[s],
            }
            for s in ATTENDED
            for m in range(1, 6)
        ]
    )
    t["employees"] = pd.DataFrame(
        {
            "employee_id": ["E01", "E02", "E03", "E04"],
            "supervisor_id": ["S1", "S1", "S3", "S4"],
            "sex": ["f", "m", "f", "m"],
            "age": [33, 24, 40, 28],
            "disability": ["intellectual", "psychological", "physical", "other"],
            "consent_questionnaire": [True, True, True, True],
            "consent_register": [True, False, False, False],
            "register_person_id": ["P001", None, None, None],
        }
    )
    invited = pd.Timestamp("2019-04-02T09:00:00Z")
    done = pd.Timestamp("2019-04-03T09:00:00Z")
    t["invitations"] = pd.DataFrame(
        [
            {
                "respondent_id": s,
                "role": "supervisor",
                "wave": "T1",
                "invited_at": invited,
                "reminders": 0,
                "reminded_at": None,
                "completed_at": done if s in T1 else None,
            }
            for s in ["S1", "S2", "S3", "S4", "S5"]
        ]
    )
    rows = []
    for s, answers in T1.items():
        for item, value in answers.items():
            ins = "sv_determinants" if item.startswith("det_") else "sv_process"
            rows.append(
                {
                    "respondent_id": s,
                    "role": "supervisor",
                    "wave": "T1",
                    "instrument": ins,
                    "item": item,
                    "value": float(value),
                    "text": None,
                    "submitted_at": done,
                }
            )
    t["responses"] = pd.DataFrame(rows)
    t["invitations"]["reminded_at"] = pd.to_datetime(t["invitations"]["reminded_at"], utc=True)
    t["invitations"]["completed_at"] = pd.to_datetime(t["invitations"]["completed_at"], utc=True)
    t["costs"] = t["costs"].iloc[:0]
    return {name: coerce_table(name, df) for name, df in t.items()}
