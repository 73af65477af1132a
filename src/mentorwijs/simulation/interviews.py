"""Simulated interviews: a handful per role, coded with the shipped MIDI-kind codebook.

Each interview is a short transcript of paragraphs. In exactly ``round(share × n)`` of the
``n`` interviews a determinant comes up as a barrier (likewise as a facilitator), so the
shares in ``truth.json`` are what a correct count finds. Feedback and formal endorsement
come up most as barriers, as in the published study. Some paragraphs carry two codes (the
same passage), and in-person participants mention the shared meal, an inductive code
inside a passage about the format. A second coder can recode a sample of interviews for
the agreement analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mentorwijs.protocol.codebook import load_codebook

INTERVIEWS_PER_ROLE = {"trainer": 4, "supervisor": 6, "employee": 6, "coordinator": 2}
#: Interviews (of 18) in which a determinant comes up as a barrier / a facilitator.
MENTIONS: dict[str, dict[str, int]] = {
    "barrier": {
        "feedback": 12,
        "endorsement": 11,
        "time": 8,
        "resources": 6,
        "colleagues": 4,
        "fit": 3,
        "format": 4,
        "self_efficacy": 5,
        "knowledge": 3,
        "municipal_support": 5,
    },
    "facilitator": {
        "feedback": 2,
        "endorsement": 3,
        "time": 5,
        "resources": 5,
        "colleagues": 11,
        "fit": 12,
        "format": 9,
        "self_efficacy": 9,
        "knowledge": 8,
        "municipal_support": 10,
    },
}
INDUCTIVE = "inductive.shared_meal"
TWICE = 0.25  # chance that a mention comes back in a second passage
SAME_PASSAGE = 0.2  # chance that a mention shares its passage with the next one
WAVE_OF_ROLE = {"trainer": "T1", "supervisor": "T2", "employee": "T2", "coordinator": "T3"}
CODERS = ("coder_1", "coder_2")

_SAYS = {
    ("feedback", "barrier"): "Niemand in mijn organisatie vraagt hoe de begeleiding gaat.",
    (
        "feedback",
        "facilitator",
    ): "Mijn manager bespreekt elke maand met me hoe het begeleiden gaat.",
    ("endorsement", "barrier"): "De directie vindt het prima, maar het staat nergens op papier.",
    ("endorsement", "facilitator"): "De directie heeft begeleiden echt tot een taak gemaakt.",
    ("time", "barrier"): "Naast mijn eigen werk schiet de begeleiding er vaak bij in.",
    ("time", "facilitator"): "Ik krijg uren vrij om mijn medewerker te begeleiden.",
    ("resources", "barrier"): "Een aangepaste werkplek kost geld dat er niet is.",
    ("resources", "facilitator"): "Hulpmiddelen zijn snel geregeld als we ze nodig hebben.",
    ("colleagues", "barrier"): "Collega's vinden het niet hun taak om mee te helpen.",
    ("colleagues", "facilitator"): "Mijn collega's springen bij als ik er niet ben.",
    ("fit", "barrier"): "Sommige voorbeelden passen niet bij werk in de productie.",
    ("fit", "facilitator"): "De voorbeelden kwamen zo uit onze eigen werkvloer.",
    ("format", "barrier"): "Vijf avonden na het werk is veel.",
    ("format", "facilitator"): "De kleine groep met mensen uit andere bedrijven werkte goed.",
    (
        "self_efficacy",
        "barrier",
    ): "Bij een moeilijk gesprek weet ik nog steeds niet goed wat ik moet doen.",
    ("self_efficacy", "facilitator"): "Ik durf nu eerder te vragen wat iemand nodig heeft.",
    ("knowledge", "barrier"): "Welke regelingen er zijn, blijft voor mij onduidelijk.",
    ("knowledge", "facilitator"): "Ik weet nu welke vragen ik wel en niet mag stellen.",
    ("municipal_support", "barrier"): "Bij de gemeente krijg je steeds iemand anders aan de lijn.",
    (
        "municipal_support",
        "facilitator",
    ): "De jobcoach van de gemeente komt snel langs als het vastloopt.",
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
) -> list[tuple[str, str, str | None, str]]:
    """(respondent_id, role, region_id, mode) for each interview, roles in a fixed order."""
    groups = tables["training_groups"].set_index(
        tables["training_groups"]["training_group_id"].astype(str)
    )
    sup = tables["supervisors"].set_index(tables["supervisors"]["supervisor_id"].astype(str))
    inv = tables["invitations"]
    t1 = inv[(inv["role"] == "supervisor") & (inv["wave"] == "T1") & inv["completed_at"].notna()]
    pools = {
        "trainer": tables["trainers"]["trainer_id"].astype(str).to_numpy(),
        "supervisor": np.sort(t1["respondent_id"].astype(str).to_numpy()),
        "employee": tables["employees"]
        .loc[tables["employees"]["consent_questionnaire"].astype(bool), "employee_id"]
        .astype(str)
        .to_numpy(),
    }
    emp_sup = dict(
        zip(
            tables["employees"]["employee_id"].astype(str),
            tables["employees"]["supervisor_id"].astype(str),
            strict=True,
        )
    )
    regions = sorted(groups["region_id"].astype(str).unique())
    out = []
    for role, n in INTERVIEWS_PER_ROLE.items():
        if role == "coordinator":
            for i in range(n):
                out.append((f"CO{i + 1:03d}", role, regions[i % len(regions)], ""))
            continue
        pool = pools[role]
        picked = rng.choice(pool, size=min(n, len(pool)), replace=False)
        for rid in sorted(picked):
            sid = emp_sup.get(rid, rid)
            gid = sup["training_group_id"].get(sid) if sid in sup.index else None
            mode = str(groups.loc[str(gid), "mode"]) if gid is not None and pd.notna(gid) else ""
            region = str(groups.loc[str(gid), "region_id"]) if mode else None
            out.append((str(rid), role, region, mode))
    return out


def simulate_interviews(
    rng: np.random.Generator,
    tables: dict[str, pd.DataFrame],
    *,
    details: bool = False,
    double_coded: int = 0,
    agreement: float = 0.85,
) -> Interviews:
    """Simulate coded interviews of the study in ``tables``.

    Parameters
    ----------
    rng
        The interviews' own random stream.
    tables
        The registry, employees and invitations of the simulated study.
    details
        Fill ``wave``, ``coder`` and ``region_id``. The default leaves them empty, as the
        site does not store them yet (``docs/evaluation.md``); the region can be derived.
    double_coded
        Interviews a second coder recodes (needs ``details``).
    agreement
        Chance that the second coder gives a passage the same code (with slightly
        different boundaries); otherwise the code is left out or its valence flipped.

    Returns
    -------
    Interviews
        ``segments`` in the columns of the package's ``interview_segments`` table and the
        planted ``truth``.
    """
    book = load_codebook()
    category = {det: cat for det, (cat, _) in book.determinants().items()}
    people = _respondents(rng, tables)
    n = len(people)
    mentions: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    for valence, counts in MENTIONS.items():
        for det, k in counts.items():
            k = round(k * n / 18)
            for i in rng.permutation(n)[:k]:
                times = 2 if rng.random() < TWICE else 1
                mentions[i] += [(det, valence)] * times
    rows = []
    for i, (rid, role, region, mode) in enumerate(people):
        iid = f"INT{i + 1:03d}"
        said = [mentions[i][j] for j in rng.permutation(len(mentions[i]))]
        paragraphs: list[tuple[str, list[tuple[str, int, int]]]] = []
        j = 0
        while j < len(said):
            codes = [said[j]]
            if j + 1 < len(said) and said[j + 1] != said[j] and rng.random() < SAME_PASSAGE:
                codes.append(said[j + 1])
                j += 1
            j += 1
            text = " ".join(_OPENERS[rng.integers(len(_OPENERS))] + _SAYS[c] for c in codes)
            inner: list[tuple[str, int, int]] = []
            if mode == "in_person" and ("format", "facilitator") in codes and rng.random() < 0.7:
                inner.append((INDUCTIVE, len(text) + 1, len(text) + 1 + len(_MEAL)))
                text = f"{text} {_MEAL}"
            coded = [(f"{category[d]}.{d}.{v}", 0, len(text)) for d, v in codes]
            paragraphs.append((text, coded + inner))
            if rng.random() < 0.5:
                paragraphs.append((_FILLER[rng.integers(len(_FILLER))], []))
        position, no = 0, 0
        for text, coded in paragraphs:
            for code, s, e in coded:
                no += 1
                rows.append(
                    (
                        iid,
                        no,
                        rid,
                        role,
                        code,
                        position + s,
                        position + e,
                        text[s:e],
                        region,
                        CODERS[0],
                    )
                )
            position += len(text) + 2  # paragraphs are separated by a blank line
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
            "region_id",
            "coder",
        ],
    )
    if double_coded:
        seg = pd.concat([seg, _second_coding(rng, seg, double_coded, agreement)], ignore_index=True)
    seg["wave"] = seg["role"].map(WAVE_OF_ROLE)
    if not details:
        seg[["wave", "coder", "region_id"]] = None
    cols = [
        "interview_id",
        "segment_no",
        "respondent_id",
        "role",
        "code",
        "start",
        "end",
        "text",
        "wave",
        "coder",
        "region_id",
    ]
    truth = {
        "interviews": n,
        "interviews_per_role": {r: sum(p[1] == r for p in people) for r in INTERVIEWS_PER_ROLE},
        "mention_share": {
            v: {d: round(k * n / 18) / n for d, k in counts.items()}
            for v, counts in MENTIONS.items()
        },
        "double_coded": int(double_coded),
        "second_coder_same_code": agreement,
    }
    return Interviews(seg[cols].reset_index(drop=True), truth)


def _second_coding(
    rng: np.random.Generator, seg: pd.DataFrame, k: int, agreement: float
) -> pd.DataFrame:
    """The second coder's segments of ``k`` interviews (numbered after the first coder's)."""
    chosen = sorted(rng.choice(seg["interview_id"].unique(), size=k, replace=False))
    out = []
    for iid in chosen:
        part = seg[seg["interview_id"] == iid]
        no = int(part["segment_no"].max())
        for r in part.itertuples(index=False):
            u = rng.random()
            if u < agreement:
                code = r.code
            elif u < agreement + (1 - agreement) / 2 and r.code.endswith(
                ("barrier", "facilitator")
            ):
                stem, valence = r.code.rsplit(".", 1)
                code = f"{stem}.{'facilitator' if valence == 'barrier' else 'barrier'}"
            else:
                continue
            start = r.start + int(rng.integers(0, 4))
            end = max(start + 1, r.end - int(rng.integers(0, 4)))
            no += 1
            out.append(
                (
                    iid,
                    no,
                    r.respondent_id,
                    r.role,
                    code,
                    start,
                    end,
                    r.text[start - r.start : end - r.start],
                    r.region_id,
                    CODERS[1],
                )
            )
    return pd.DataFrame(out, columns=seg.columns)
