"""Analysis of the coded interviews: code frequencies, co-occurrence and retrieval.

The coded passages arrive as the package's ``interview_segments`` table (written by the
site, :doc:`docs/interviews.md`): one row per segment and code, where a segment is a run of
whole sentences with character offsets ``start`` (inclusive) and ``end`` (exclusive) in
the transcript, its ``coder`` (``coder-1``, ``coder-2``, …), and the ``wave`` and
``region_id`` of the interview. The codes of a segment are the rows sharing
``interview_id`` and ``segment_no``. Codes are keys of the codebook
(:mod:`mentorwijs.protocol.codebook`: the MIDI determinants, e.g.
``midi-performance-feedback``, and the researchers' inductive codes). Agreement between two
coders is in :mod:`mentorwijs.evaluation.qualitative_agreement`.

Choices (also in ``docs/evaluation.md``):

- **One coding per interview.** A transcript coded by two coders (to check agreement) would
  count twice. Frequencies, co-occurrence and retrieval use the *main coder's* coding: the
  coder who coded the most interviews (ties: the first name in sorting order); for an
  interview that coder did not code, the coder among its own with the most interviews.
- **Region.** ``region_id`` where given; otherwise the site's rule from the registry: a
  supervisor's employer's region, an employee's supervisor's employer's, a trainer's
  training provider's. A coordinator's region must be given.
- **Small units.** Interviews are not register data, so the rule of 10 would blank every
  count; instead a role, region or wave with fewer than ``min_interviews`` interviews (3 by
  default) is blanked, because one or two persons' views could be read off.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from mentorwijs.evaluation.errors import InvalidSegmentsError
from mentorwijs.protocol.codebook import Codebook, load_codebook

REQUIRED = ("interview_id", "segment_no", "respondent_id", "role", "code", "start", "end", "text")
OPTIONAL = ("wave", "coder", "region_id")
ROLES = ("trainer", "supervisor", "employee", "coordinator")
#: The shipped direction codes (group ``valence``) that give a segment's direction when
#: coded beside a determinant on the same segment.
VALENCE_GROUP = "valence"
VALENCE_CODES = {"barrier": "barrier", "facilitator": "facilitator"}
#: Levels of :func:`code_frequencies`, in the order reports show them.
FREQUENCY_LEVELS = ("overall", "role", "region", "wave")
UNKNOWN = "unknown"


def tidy_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of interview segments with plain dtypes.

    Missing optional columns are added empty (``coder`` empty means one unnamed coder).

    Raises
    ------
    InvalidSegmentsError
        A required column is missing, an offset is missing or negative, or a segment ends
        before it starts.
    """
    missing = [c for c in REQUIRED if c not in segments.columns]
    if missing:
        raise InvalidSegmentsError(
            f"interview segments lack column(s) {missing}: pass the package's "
            "interview_segments table"
        )
    out = pd.DataFrame({c: segments[c].astype(object).to_numpy() for c in REQUIRED})
    for c in ("interview_id", "respondent_id", "role", "code"):
        out[c] = out[c].astype(str)
    for c in ("segment_no", "start", "end"):
        values = pd.to_numeric(segments[c], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise InvalidSegmentsError(
                f"interview segments have a missing or negative {c}: offsets count characters "
                "from 0"
            )
        out[c] = values.astype(int).to_numpy()
    bad = out["end"] < out["start"]
    if bad.any():
        row = out[bad].iloc[0]
        raise InvalidSegmentsError(
            f"{int(bad.sum())} segment(s) end before they start, e.g. interview "
            f"{row['interview_id']} segment {row['segment_no']}: check start and end"
        )
    for c in OPTIONAL:
        if c in segments.columns:
            v = segments[c].astype(object)
            out[c] = np.asarray(v.where(v.notna(), None), dtype=object)
        else:
            out[c] = None
    out["coder"] = out["coder"].map(lambda v: "" if v is None else str(v))
    return out


def main_coding(segments: pd.DataFrame) -> pd.DataFrame:
    """Keep one coder's segments per interview (the main coder; see the module notes)."""
    seg = tidy_segments(segments)
    per_coder = seg.groupby("coder")["interview_id"].nunique()
    order = sorted(per_coder.index, key=lambda c: (-int(per_coder[c]), c))
    rank = {c: i for i, c in enumerate(order)}
    chosen = (
        seg[["interview_id", "coder"]]
        .drop_duplicates()
        .assign(rank=lambda d: d["coder"].map(rank))
        .sort_values(["interview_id", "rank"])
        .drop_duplicates("interview_id")
    )
    keep = dict(zip(chosen["interview_id"], chosen["coder"], strict=True))
    return seg[seg["coder"] == seg["interview_id"].map(keep)].reset_index(drop=True)


def with_regions(
    segments: pd.DataFrame,
    *,
    supervisors: pd.DataFrame,
    employees: pd.DataFrame,
    trainers: pd.DataFrame,
    organisations: pd.DataFrame,
) -> pd.DataFrame:
    """Fill an empty ``region_id`` from the registry, as the site does (see the module notes).

    Returns
    -------
    DataFrame
        The segments (tidied) with ``region_id`` completed where the registry tells.
    """
    seg = tidy_segments(segments)
    org_region = dict(
        zip(
            organisations["organisation_id"].astype(str),
            organisations["region_id"].astype(str),
            strict=True,
        )
    )
    sup_region = {
        sid: org_region.get(oid)
        for sid, oid in zip(
            supervisors["supervisor_id"].astype(str),
            supervisors["organisation_id"].astype(str),
            strict=True,
        )
    }
    emp_region = {
        e: sup_region.get(s)
        for e, s in zip(
            employees["employee_id"].astype(str),
            employees["supervisor_id"].astype(str),
            strict=True,
        )
    }
    trainer_region = {
        t: org_region.get(p)
        for t, p in zip(
            trainers["trainer_id"].astype(str), trainers["provider_id"].astype(str), strict=True
        )
    }
    lookup: Mapping[str, Mapping[str, str | None]] = {
        "supervisor": sup_region,
        "employee": emp_region,
        "trainer": trainer_region,
    }
    derived = [
        lookup.get(role, {}).get(rid)
        for role, rid in zip(seg["role"], seg["respondent_id"], strict=True)
    ]
    given = seg["region_id"].to_numpy(dtype=object)
    seg["region_id"] = np.where(pd.isna(given), np.asarray(derived, dtype=object), given)
    seg["region_id"] = seg["region_id"].astype(object).where(seg["region_id"].notna(), None)
    return seg


def code_frequencies(segments: pd.DataFrame, *, min_interviews: int = 3) -> pd.DataFrame:
    """How often each code was used, overall and by role, region and wave.

    Parameters
    ----------
    segments
        Coded segments of one coding per interview (:func:`main_coding`), with
        ``region_id`` completed (:func:`with_regions`) where wanted.
    min_interviews
        A unit (a role, region or wave) with fewer interviews is blanked.

    Returns
    -------
    DataFrame
        One row per ``level`` (``overall``, ``role``, ``region``, ``wave``), ``unit`` (an
        unknown region or wave is ``"unknown"``) and ``code``: ``segments`` (passages coded
        with it), ``interviews`` (interviews with at least one), ``interviews_in_unit``,
        ``share_interviews`` (interviews / interviews_in_unit), ``suppressed``. Codes in
        sorted order (so a cluster's codes stay together); every code appears in every unit
        (0 when unused there).
    """
    seg = tidy_segments(segments)
    if seg.empty:
        raise InvalidSegmentsError("no coded interview segments: nothing to count")
    seg = seg.assign(
        region_id=seg["region_id"].map(lambda v: UNKNOWN if v is None else str(v)),
        wave=seg["wave"].map(lambda v: UNKNOWN if v is None else str(v)),
        overall="all",
    )
    codes = sorted(seg["code"].unique())
    rows = []
    for level, col in (
        ("overall", "overall"),
        ("role", "role"),
        ("region", "region_id"),
        ("wave", "wave"),
    ):
        units = sorted(seg[col].unique(), key=lambda u: _unit_key(level, u))
        for unit in units:
            part = seg[seg[col] == unit]
            n_int = part["interview_id"].nunique()
            counts = part.groupby("code").agg(
                segments=("segment_no", "size"), interviews=("interview_id", "nunique")
            )
            for code in codes:
                s = int(counts["segments"].get(code, 0))
                i = int(counts["interviews"].get(code, 0))
                rows.append((level, unit, code, s, i, n_int, i / n_int))
    table = pd.DataFrame(
        rows,
        columns=[
            "level",
            "unit",
            "code",
            "segments",
            "interviews",
            "interviews_in_unit",
            "share_interviews",
        ],
    )
    small = (table["interviews_in_unit"] < min_interviews).to_numpy()
    stats = ["segments", "interviews", "interviews_in_unit", "share_interviews"]
    table[stats] = table[stats].astype(float)
    table.loc[small, stats] = np.nan
    table["suppressed"] = small
    return table


def _unit_key(level: str, unit: str) -> tuple[int, str]:
    if level == "role" and unit in ROLES:
        return ROLES.index(unit), unit
    return (1 if unit == UNKNOWN else 0), unit


def code_cooccurrence(segments: pd.DataFrame) -> pd.DataFrame:
    """Pairs of codes given to the same or overlapping passages.

    Two segments of one interview co-occur when their character ranges overlap
    (``a.start < b.end`` and ``b.start < a.end``); the same passage with two codes is the
    common case.

    Returns
    -------
    DataFrame
        One row per pair (``code_a`` < ``code_b``): ``segment_pairs`` (overlapping segment
        pairs), ``interviews`` (interviews with at least one), ``interviews_both``
        (interviews where both codes occur anywhere), sorted by ``segment_pairs``.
    """
    seg = tidy_segments(segments)
    pairs: dict[tuple[str, str], list[int]] = {}
    both: dict[tuple[str, str], int] = {}
    for _, part in seg.groupby("interview_id", sort=True):
        s = part["start"].to_numpy()
        e = part["end"].to_numpy()
        c = part["code"].to_numpy()
        overlap = (s[:, None] < e[None, :]) & (s[None, :] < e[:, None])
        seen: set[tuple[str, str]] = set()
        for i, j in zip(*np.nonzero(np.triu(overlap, k=1)), strict=True):
            if c[i] == c[j]:
                continue
            key = (min(c[i], c[j]), max(c[i], c[j]))
            count = pairs.setdefault(key, [0, 0])
            count[0] += 1
            if key not in seen:
                count[1] += 1
                seen.add(key)
        present = sorted(set(c))
        for a_i, a in enumerate(present):
            for b in present[a_i + 1 :]:
                both[(a, b)] = both.get((a, b), 0) + 1
    rows = [(a, b, n, k, both.get((a, b), 0)) for (a, b), (n, k) in pairs.items()]
    table = pd.DataFrame(
        rows, columns=["code_a", "code_b", "segment_pairs", "interviews", "interviews_both"]
    )
    return table.sort_values(
        ["segment_pairs", "code_a", "code_b"], ascending=[False, True, True]
    ).reset_index(drop=True)


def effect_subgroups(subgroup_effects: pd.DataFrame, tests: pd.DataFrame) -> pd.DataFrame:
    """Which subgroup of each modifier had the larger and which the smaller effect.

    Parameters
    ----------
    subgroup_effects
        ``modifier``, ``subgroup``, ``estimate``, ``suppressed``: the employment effect per
        subgroup (``effect_modification`` and the subgroup rows of
        ``process_effect_employment``).
    tests
        ``modifier``, ``p_val``: the test that a modifier's subgroups have equal effects.

    Returns
    -------
    DataFrame
        ``modifier``, ``subgroup``, ``effect`` (``larger`` for the subgroup with the highest
        estimate, ``smaller`` for the lowest), ``estimate``, ``p_equal`` (the test's p
        value: how firmly the subgroups differ). Modifiers with fewer than two shown
        (unsuppressed) subgroups are left out.
    """
    se = subgroup_effects[~subgroup_effects["suppressed"].astype(bool)]
    se = se[se["estimate"].notna()]
    p = dict(zip(tests["modifier"], tests["p_val"], strict=True))
    rows = []
    for name, part in se.groupby("modifier", sort=True):
        if len(part) < 2:
            continue
        part = part.sort_values("estimate", kind="stable")
        for effect, r in (("larger", part.iloc[-1]), ("smaller", part.iloc[0])):
            rows.append((name, str(r["subgroup"]), effect, float(r["estimate"]), p.get(name)))
    return pd.DataFrame(rows, columns=["modifier", "subgroup", "effect", "estimate", "p_equal"])


def respondent_modifiers(
    *,
    supervisors: pd.DataFrame,
    organisations: pd.DataFrame,
    employees: pd.DataFrame,
    register_persons: pd.DataFrame,
    process_moderators: pd.DataFrame | None = None,
    respondents: Collection[str] | None = None,
) -> pd.DataFrame:
    """The effect modifiers' values of supervisors and employees who can be interviewed.

    The values mirror :func:`mentorwijs.evaluation.steps.effect_modifiers`: for a
    supervisor, the employer's ``sheltered``, ``employer_size`` (size class) and
    ``public_sector``, and ``caseload_under_10``; for an employee linked to the register,
    ``temporary_contract``, ``sheltered``, ``employer_size`` and ``public_sector`` of their
    register record and the supervisor's caseload; an employee without a link takes the
    supervisor's employer. Both take the (supervisor's) process moderators. The benefit
    history is register data the package does not pass on per employee: left out.
    ``respondents`` limits the work to these pseudonyms (e.g. the people interviewed) and
    the supervisors of the employees among them.

    Returns
    -------
    DataFrame
        ``respondent_id``, ``role`` (``supervisor`` or ``employee``), ``modifier``,
        ``subgroup`` (the value as text, as in ``effect_modification``).
    """
    if respondents is not None:
        wanted = {str(r) for r in respondents}
        employees = employees[employees["employee_id"].astype(str).isin(wanted)]
        wanted |= set(employees["supervisor_id"].astype(str))
        supervisors = supervisors[supervisors["supervisor_id"].astype(str).isin(wanted)]
    orgs = organisations.set_index(organisations["organisation_id"].astype(str))
    sup = supervisors.assign(
        supervisor_id=supervisors["supervisor_id"].astype(str),
        organisation_id=supervisors["organisation_id"].astype(str),
    )
    sup_vals: dict[str, dict[str, object]] = {}
    for sid, oid, guided in zip(
        sup["supervisor_id"], sup["organisation_id"], sup["employees_guided"], strict=True
    ):
        org = orgs.loc[oid] if oid in orgs.index else None
        sup_vals[sid] = {
            "sheltered": None if org is None else org["sheltered"],
            "employer_size": None if org is None else org["size_class"],
            "public_sector": None
            if org is None or pd.isna(org["sector"])
            else org["sector"] == "public",
            "caseload_under_10": None if pd.isna(guided) else float(guided) < 10,
        }
    if process_moderators is not None:
        pm = process_moderators.set_index(process_moderators["supervisor_id"].astype(str))
        for sid in sup_vals:
            if sid in pm.index:
                sup_vals[sid].update(pm.loc[sid].drop("supervisor_id").to_dict())
    persons = register_persons.set_index(register_persons["person_id"].astype(str))
    rows = [(sid, "supervisor", k, v) for sid, vals in sup_vals.items() for k, v in vals.items()]
    for eid, sid, pid in zip(
        employees["employee_id"].astype(str),
        employees["supervisor_id"].astype(str),
        employees["register_person_id"].astype(object),
        strict=True,
    ):
        vals = dict(sup_vals.get(sid, {}))
        if pd.notna(pid) and str(pid) in persons.index:
            p = persons.loc[str(pid)]
            vals.update(
                temporary_contract=p["temporary_contract"],
                sheltered=p["sheltered"],
                employer_size=p["employer_size"],
                public_sector=None if pd.isna(p["sector"]) else p["sector"] == "public",
            )
        rows += [(eid, "employee", k, v) for k, v in vals.items()]
    out = pd.DataFrame(rows, columns=["respondent_id", "role", "modifier", "subgroup"])
    out = out[out["subgroup"].map(lambda v: v is not None and not pd.isna(v))]
    out["subgroup"] = out["subgroup"].map(
        lambda v: str(bool(v)) if isinstance(v, np.bool_) else str(v)
    )
    return out.reset_index(drop=True)


def passages(
    segments: pd.DataFrame,
    *,
    modifiers: pd.DataFrame | None = None,
    subgroups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every coded passage with what a reader filters on.

    Parameters
    ----------
    segments
        One coding per interview (:func:`main_coding`), regions completed.
    modifiers
        :func:`respondent_modifiers`.
    subgroups
        :func:`effect_subgroups`.

    Returns
    -------
    DataFrame
        ``code``, ``interview_id``, ``segment_no``, ``respondent_id``, ``role``,
        ``region_id``, ``wave``, ``start``, ``end``, ``text``, ``larger_effect_in`` and
        ``smaller_effect_in``: the subgroups with the larger (smaller) employment effect
        the person belongs to, as ``modifier=value`` joined by ``"; "`` (empty: none or
        unknown). Sorted by code, interview and position.
    """
    seg = tidy_segments(segments)
    larger: dict[str, list[str]] = {}
    smaller: dict[str, list[str]] = {}
    if modifiers is not None and subgroups is not None and not subgroups.empty:
        m = modifiers.merge(
            subgroups[["modifier", "subgroup", "effect"]], on=["modifier", "subgroup"]
        )
        for rid, mod, sub, eff in m[["respondent_id", "modifier", "subgroup", "effect"]].itertuples(
            index=False
        ):
            (larger if eff == "larger" else smaller).setdefault(rid, []).append(f"{mod}={sub}")
    seg["larger_effect_in"] = seg["respondent_id"].map(
        lambda r: "; ".join(sorted(larger.get(r, [])))
    )
    seg["smaller_effect_in"] = seg["respondent_id"].map(
        lambda r: "; ".join(sorted(smaller.get(r, [])))
    )
    cols = [
        "code",
        "interview_id",
        "segment_no",
        "respondent_id",
        "role",
        "region_id",
        "wave",
        "start",
        "end",
        "text",
        "larger_effect_in",
        "smaller_effect_in",
    ]
    return seg.sort_values(["code", "interview_id", "start", "segment_no"])[cols].reset_index(
        drop=True
    )


def retrieve_passages(
    table: pd.DataFrame,
    *,
    code: str | Sequence[str] | None = None,
    role: str | Sequence[str] | None = None,
    region: str | Sequence[str] | None = None,
    wave: str | Sequence[str] | None = None,
    effect: str | None = None,
    modifier: str | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """The passages of :func:`passages` that match every filter given.

    Parameters
    ----------
    table
        The output of :func:`passages` (or the result table ``interview_passages``).
    code
        A code key or keys; a group also matches the codes below it in ``codebook``
        (``midi-organisation`` matches ``midi-time-available``).
    role, region, wave
        One value or several.
    effect
        ``"larger"`` or ``"smaller"``: only persons in a subgroup with the larger (smaller)
        employment effect, of ``modifier`` when given, else of any modifier.
    modifier
        Restricts ``effect`` to one modifier, e.g. ``"temporary_contract"``.
    codebook
        The hierarchy for ``code``; default the shipped codebook.

    Examples
    --------
    >>> t = pd.DataFrame({"code": ["midi-time-available", "midi-knowledge"],
    ...                   "role": ["supervisor", "trainer"], "region_id": ["R10", "R10"],
    ...                   "wave": [None, None], "larger_effect_in": ["", ""],
    ...                   "smaller_effect_in": ["", ""]})
    >>> len(retrieve_passages(t, code="midi-organisation"))
    1
    """
    keep = np.ones(len(table), dtype=bool)

    def many(v: str | Sequence[str]) -> list[str]:
        return [v] if isinstance(v, str) else list(v)

    if code is not None:
        book = codebook or load_codebook()
        wanted = set(many(code))
        todo = [w for w in wanted if w in book]
        while todo:
            below = [c.key for c in book.children(todo.pop())]
            wanted.update(below)
            todo += below
        keep &= table["code"].isin(sorted(wanted)).to_numpy()
    for col, value in (("role", role), ("region_id", region), ("wave", wave)):
        if value is not None:
            keep &= table[col].isin(many(value)).to_numpy()
    if effect is not None:
        if effect not in ("larger", "smaller"):
            raise InvalidSegmentsError(f"effect={effect!r}: choose 'larger' or 'smaller'")
        col = table[f"{effect}_effect_in"].fillna("").astype(str)
        if modifier is None:
            keep &= (col != "").to_numpy()
        else:
            keep &= col.map(
                lambda s: any(x.split("=")[0] == modifier for x in s.split("; ") if x)
            ).to_numpy(dtype=bool)
    return table[keep].reset_index(drop=True)
