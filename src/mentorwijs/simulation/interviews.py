"""Simulated interviews: a handful per role, coded with the shipped MIDI codebook.

Each interview is a short transcript of paragraphs, coded by whole sentences as the site
codes them. In exactly ``round(k × n / 18)`` of the ``n`` interviews a determinant comes up
as a barrier (``MENTIONS``; likewise as a facilitator), so the shares in ``truth.json`` are
what a correct count finds. A passage carries its determinant's code and the shipped
direction code ``barrier`` or ``facilitator``, as coders give them in the site. Feedback
and formal endorsement come up most as barriers, as in the published study. Some passages
hold two determinants, and in-person participants mention the shared meal, an inductive
code on a sentence inside a passage. A second coder recodes a few interviews for the
agreement analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INTERVIEWS_PER_ROLE = {"trainer": 4, "supervisor": 6, "employee": 6, "coordinator": 2}
VALENCE_CODE = {"barrier": "barrier", "facilitator": "facilitator"}
#: Interviews (of 18) in which a determinant comes up as a barrier / a facilitator.
MENTIONS: dict[str, dict[str, int]] = {
    "barrier": {
        "midi-performance-feedback": 12,
        "midi-formal-ratification": 11,
        "midi-time-available": 8,
        "midi-material-resources": 6,
        "midi-social-support": 4,
        "midi-compatibility": 3,
        "midi-complexity": 4,
        "midi-self-efficacy": 5,
        "midi-knowledge": 3,
        "midi-coordinator": 5,
        "midi-legislation": 4,
    },
    "facilitator": {
        "midi-performance-feedback": 2,
        "midi-formal-ratification": 3,
        "midi-time-available": 5,
        "midi-material-resources": 5,
        "midi-social-support": 11,
        "midi-compatibility": 12,
        "midi-complexity": 6,
        "midi-self-efficacy": 9,
        "midi-knowledge": 8,
        "midi-coordinator": 10,
        "midi-legislation": 3,
    },
}
INDUCTIVE = "samen-eten"  # an inductive code, as the site keys "Samen eten"
TWICE = 0.25  # chance that a mention comes back in a second passage
SAME_PASSAGE = 0.2  # chance that a mention shares its passage with the next of its kind
WAVE_OF_ROLE = {"trainer": "T1", "supervisor": "T2", "employee": "T2", "coordinator": "T3"}
CODERS = ("coder-1", "coder-2")

_SAYS = {
    (
        "midi-performance-feedback",
        "barrier",
    ): "Niemand in mijn organisatie vraagt hoe de begeleiding gaat.",
    (
        "midi-performance-feedback",
        "facilitator",
    ): "Mijn manager bespreekt elke maand met me hoe het begeleiden gaat.",
    (
        "midi-formal-ratification",
        "barrier",
    ): "De directie vindt het prima, maar het staat nergens op papier.",
    (
        "midi-formal-ratification",
        "facilitator",
    ): "De directie heeft begeleiden echt tot een taak gemaakt.",
    (
        "midi-time-available",
        "barrier",
    ): "Naast mijn eigen werk schiet de begeleiding er vaak bij in.",
    ("midi-time-available", "facilitator"): "Ik krijg uren vrij om mijn medewerker te begeleiden.",
    ("midi-material-resources", "barrier"): "Een aangepaste werkplek kost geld dat er niet is.",
    (
        "midi-material-resources",
        "facilitator",
    ): "Hulpmiddelen zijn snel geregeld als we ze nodig hebben.",
    ("midi-social-support", "barrier"): "Collega's vinden het niet hun taak om mee te helpen.",
    ("midi-social-support", "facilitator"): "Mijn collega's springen bij als ik er niet ben.",
    ("midi-compatibility", "barrier"): "Sommige voorbeelden passen niet bij werk in de productie.",
    ("midi-compatibility", "facilitator"): "De voorbeelden kwamen zo uit onze eigen werkvloer.",
    ("midi-complexity", "barrier"): "In de drukte van alledag is de methode lastig vol te houden.",
    ("midi-complexity", "facilitator"): "De stappen zijn eenvoudig en ik pas ze zo toe.",
    (
        "midi-self-efficacy",
        "barrier",
    ): "Bij een moeilijk gesprek weet ik nog steeds niet goed wat ik moet doen.",
    ("midi-self-efficacy", "facilitator"): "Ik durf nu eerder te vragen wat iemand nodig heeft.",
    ("midi-knowledge", "barrier"): "Welke regelingen er zijn, blijft voor mij onduidelijk.",
    ("midi-knowledge", "facilitator"): "Ik weet nu welke vragen ik wel en niet mag stellen.",
    ("midi-coordinator", "barrier"): "Bij de gemeente krijg je steeds iemand anders aan de lijn.",
    (
        "midi-coordinator",
        "facilitator",
    ): "De jobcoach van de gemeente komt snel langs als het vastloopt.",
    ("midi-legislation", "barrier"): "De regels voor loonkostensubsidie zijn ingewikkeld.",
    ("midi-legislation", "facilitator"): "Dankzij de loonkostensubsidie kon het contract doorgaan.",
}
_OPENERS = ("", "Eerlijk gezegd is het zo. ", "Wat ik merk is dit. ", "Een voorbeeld. ", "Kijk. ")
_FILLER = (
    "Interviewer: Kunt u daar iets meer over vertellen?",
    "Interviewer: Hoe ging dat in de weken na de training?",
    "Dat is eigenlijk alles wat ik daarover kan zeggen.",
    "Interviewer: Wat zou u een andere gemeente aanraden?",
)
_MEAL = "Het samen eten vooraf maakte het makkelijk om te praten."


@dataclass(frozen=True)
class Interviews:
    """Coded segments in package form and the truth about them."""

    segments: pd.DataFrame
    truth: dict[str, object]


def _respondents(
    rng: np.random.Generator, tables: dict[str, pd.DataFrame]
) -> list[tuple[str, str, str | None, bool]]:
    """(respondent_id, role, region_id, met in person) for each interview, roles in order.

    Regions follow the site: a supervisor's employer's, an employee's supervisor's
    employer's, a trainer's provider's; a coordinator's is one of the study's regions.
    """
    org_region = dict(
        zip(
            tables["organisations"]["organisation_id"].astype(str),
            tables["organisations"]["region_id"].astype(str),
            strict=True,
        )
    )
    sup = tables["supervisors"].set_index(tables["supervisors"]["supervisor_id"].astype(str))
    mode = dict(
        zip(
            tables["training_groups"]["training_group_id"].astype(str),
            tables["training_groups"]["mode"].astype(str),
            strict=True,
        )
    )
    trainers = tables["trainers"].set_index(tables["trainers"]["trainer_id"].astype(str))
    emp = tables["employees"]
    emp_sup = dict(
        zip(emp["employee_id"].astype(str), emp["supervisor_id"].astype(str), strict=True)
    )
    inv = tables["invitations"]
    t1 = inv[(inv["role"] == "supervisor") & (inv["wave"] == "T1") & inv["completed_at"].notna()]
    pools = {
        "trainer": np.sort(trainers.index.to_numpy()),
        "supervisor": np.sort(t1["respondent_id"].astype(str).to_numpy()),
        "employee": np.sort(
            emp.loc[emp["consent_questionnaire"].astype(bool), "employee_id"].astype(str).to_numpy()
        ),
    }
    regions = sorted(tables["training_groups"]["region_id"].astype(str).unique())
    out: list[tuple[str, str, str | None, bool]] = []
    for role, n in INTERVIEWS_PER_ROLE.items():
        if role == "coordinator":
            out += [(f"CO{i + 1:03d}", role, regions[i % len(regions)], False) for i in range(n)]
            continue
        pool = pools[role]
        for rid in sorted(rng.choice(pool, size=min(n, len(pool)), replace=False)):
            if role == "trainer":
                out.append(
                    (rid, role, org_region.get(str(trainers.loc[rid, "provider_id"])), False)
                )
                continue
            sid = emp_sup.get(rid, rid)
            gid = sup.loc[sid, "training_group_id"]
            region = org_region.get(str(sup.loc[sid, "organisation_id"]))
            out.append((rid, role, region, pd.notna(gid) and mode.get(str(gid)) == "in_person"))
    return out


def simulate_interviews(
    rng: np.random.Generator,
    tables: dict[str, pd.DataFrame],
    *,
    double_coded: int = 4,
    agreement: float = 0.85,
) -> Interviews:
    """Simulate coded interviews of the study in ``tables``.

    Parameters
    ----------
    rng
        The interviews' own random stream.
    tables
        The registry, employees and invitations of the simulated study.
    double_coded
        Interviews a second coder (``coder-2``) recodes.
    agreement
        Chance that the second coder gives a passage the same codes (with slightly different
        boundaries); otherwise the passage is left uncoded or its direction flipped.

    Returns
    -------
    Interviews
        ``segments`` in the columns and row order of the package's ``interview_segments``
        table (by interview, segment number and code) and the planted ``truth``.
    """
    people = _respondents(rng, tables)
    n = len(people)
    mentions: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    for valence, counts in MENTIONS.items():
        for det, k in counts.items():
            for i in rng.permutation(n)[: round(k * n / 18)]:
                mentions[i] += [(det, valence)] * (2 if rng.random() < TWICE else 1)
    rows = []
    for i, (rid, role, _region, in_person) in enumerate(people):
        iid = f"I-{i + 1:03d}"
        said = [mentions[i][j] for j in rng.permutation(len(mentions[i]))]
        position, no, j = 0, 0, 0
        while j < len(said):
            together = [said[j]]
            nxt = said[j + 1] if j + 1 < len(said) else None
            if (
                nxt
                and nxt[0] != said[j][0]
                and nxt[1] == said[j][1]
                and rng.random() < SAME_PASSAGE
            ):
                together.append(nxt)
                j += 1
            j += 1
            text = " ".join(_OPENERS[rng.integers(len(_OPENERS))] + _SAYS[c] for c in together)
            meal = (
                in_person and ("midi-complexity", "facilitator") in together and rng.random() < 0.7
            )
            full = f"{text} {_MEAL}" if meal else text
            codes = sorted({c[0] for c in together} | {VALENCE_CODE[together[0][1]]})
            no += 1
            rows += [
                (iid, no, rid, role, code, position, position + len(full), full) for code in codes
            ]
            if meal:
                no += 1
                s = position + len(text) + 1
                rows.append((iid, no, rid, role, INDUCTIVE, s, s + len(_MEAL), _MEAL))
            position += len(full) + 1  # paragraphs are lines of the transcript
            if rng.random() < 0.5:
                position += len(_FILLER[rng.integers(len(_FILLER))]) + 1
    seg = pd.DataFrame(
        rows,
        columns=[
            "interview_id",
            "segment_no",
            "respondent_id",
            "role",
            "code",
            "start",
            "end",
            "text",
        ],
    )
    meta = {p[0]: (p[2], WAVE_OF_ROLE[p[1]]) for p in people}
    seg["coder"] = CODERS[0]
    if double_coded:
        seg = pd.concat([seg, _second_coding(rng, seg, double_coded, agreement)], ignore_index=True)
    seg["region_id"] = seg["respondent_id"].map(lambda r: meta[r][0])
    seg["wave"] = seg["respondent_id"].map(lambda r: meta[r][1])
    cols = [
        "interview_id",
        "segment_no",
        "respondent_id",
        "role",
        "wave",
        "region_id",
        "coder",
        "code",
        "start",
        "end",
        "text",
    ]
    seg = seg.sort_values(["interview_id", "segment_no", "code"], kind="stable")[cols]
    truth = {
        "interviews": n,
        "interviews_per_role": {r: sum(p[1] == r for p in people) for r in INTERVIEWS_PER_ROLE},
        "mention_share": {
            v: {d: round(k * n / 18) / n for d, k in counts.items()}
            for v, counts in MENTIONS.items()
        },
        "double_coded": int(double_coded),
        "second_coder_same_codes": agreement,
    }
    return Interviews(seg.reset_index(drop=True), truth)


def _second_coding(
    rng: np.random.Generator, seg: pd.DataFrame, k: int, agreement: float
) -> pd.DataFrame:
    """The second coder's segments of ``k`` interviews (numbered after the first coder's)."""
    chosen = sorted(rng.choice(seg["interview_id"].unique(), size=k, replace=False))
    flip = dict(zip(VALENCE_CODE.values(), reversed(VALENCE_CODE.values()), strict=True))
    out = []
    for iid in chosen:
        part = seg[seg["interview_id"] == iid]
        no = int(part["segment_no"].max())
        for _, same in part.groupby("segment_no", sort=True):
            u = rng.random()
            if u >= agreement + (1 - agreement) / 2:
                continue  # the second coder leaves this passage uncoded
            codes = list(same["code"])
            if u >= agreement:
                codes = [flip.get(c, c) for c in codes]
            first = same.iloc[0]
            # Coding by sentences: the second coder may take in or leave out an opener.
            start = int(first["start"])
            if any(first["text"].startswith(o) for o in _OPENERS[1:]) and rng.random() < 0.3:
                start += next(len(o) for o in _OPENERS[1:] if first["text"].startswith(o))
            text = first["text"][start - int(first["start"]) :]
            no += 1
            out += [
                (
                    iid,
                    no,
                    first["respondent_id"],
                    first["role"],
                    c,
                    start,
                    int(first["end"]),
                    text,
                    CODERS[1],
                )
                for c in codes
            ]
    return pd.DataFrame(out, columns=[*seg.columns])
