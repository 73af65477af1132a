"""Words of the products in Dutch and English, and the rules that turn numbers into text.

Every number in a sentence comes from the result; nothing here types a number.
"""

from __future__ import annotations

import math

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Eindrapportage Mentorwijs", "Mentorwijs final report"),
    "subtitle": (
        "Evaluatie van de training voor leidinggevenden",
        "Evaluation of the supervisor training",
    ),
    "contents": ("Inhoud", "Contents"),
    "summary": ("Samenvatting", "Summary"),
    "flow": ("Deelname per meting", "Participation per wave"),
    "flow_caption": (
        "Deelname van leidinggevenden per meting",
        "Participation of supervisors per wave",
    ),
    "flow_figure": (
        "Stroomdiagram van de deelname (uitgenodigd → ingevuld per meting)",
        "Participant flow (invited → completed per wave)",
    ),
    "employees_caption": ("Deelname van medewerkers", "Participation of employees"),
    "groups": ("Respons per trainingsgroep", "Response per training group"),
    "groups_caption": (
        "Respons van leidinggevenden per trainingsgroep, regio en vorm",
        "Response of supervisors per training group, region and mode",
    ),
    "attendance": ("Aanwezigheid bij de bijeenkomsten", "Attendance at the meetings"),
    "attendance_caption": (
        "Aantal bijgewoonde bijeenkomsten per leidinggevende",
        "Meetings attended per supervisor",
    ),
    "methods": ("Methode", "Methods"),
    "appendix": ("Bijlage: reproduceerbaarheid", "Appendix: reproducibility"),
    "wave": ("Meting", "Wave"),
    "invited": ("Uitgenodigd", "Invited"),
    "completed": ("Ingevuld", "Completed"),
    "response_rate": ("Respons", "Response"),
    "retention": ("Behouden t.o.v. T0", "Retained from T0"),
    "level": ("Niveau", "Level"),
    "unit": ("Eenheid", "Unit"),
    "group": ("groep", "group"),
    "region": ("regio", "region"),
    "mode": ("vorm", "mode"),
    "in_person": ("fysiek", "in person"),
    "online": ("online", "online"),
    "meetings_attended": ("Bijeenkomsten bijgewoond", "Meetings attended"),
    "supervisors": ("Leidinggevenden", "Supervisors"),
    "share": ("Aandeel", "Share"),
    "suppressed": ("<10", "<10"),
    "figure": ("Figuur", "Figure"),
    "table": ("Tabel", "Table"),
    "fingerprint": ("Vingerafdruk van de data (SHA-256)", "Data fingerprint (SHA-256)"),
    "created": ("Gemaakt op", "Created at"),
    "seed": ("Startwaarde toeval (seed)", "Random seed"),
    "software": ("Software", "Software"),
    "package": ("Studiedatapakket", "Study data package"),
    "invited_box": ("Uitgenodigd", "Invited"),
    "disclosure": (
        "Cellen met minder dan {n} personen zijn niet getoond (<{n}), zoals het CBS eist voor "
        "uitvoer uit zijn beveiligde omgeving. Waar een trainingsgroep te klein is, staan de "
        "cijfers per regio en per vorm.",
        "Cells of fewer than {n} persons are not shown (<{n}), as Statistics Netherlands "
        "requires for output from its secure environment. Where a training group is too small, "
        "the figures are given per region and per mode.",
    ),
    "methods_text": (
        "De cijfers komen uit het studiedatapakket dat hieronder met zijn vingerafdruk staat. "
        "Respons is het aantal ingevulde vragenlijsten gedeeld door het aantal uitnodigingen "
        "per meting. 'Behouden' is het deel van wie T0 invulde dat ook deze meting invulde.",
        "The figures come from the study data package identified below by its fingerprint. "
        "Response is the number of completed questionnaires divided by the number of "
        "invitations per wave. 'Retained' is the share of T0 respondents who also completed "
        "this wave.",
    ),
}


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang``."""
    nl, en = LABELS[key]
    return en if lang == "en" else nl


def fmt_int(x: float | None, lang: str) -> str:
    """A count, or "<10" for a suppressed cell."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    s = f"{round(x):,}"
    return s.replace(",", ".") if lang == "nl" else s


def fmt_pct(x: float | None, lang: str) -> str:
    """A share as a whole percentage ("77%"), or "<10" when suppressed."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    return f"{round(100 * x)}%"


def summary_sentences(flow: list[dict[str, object]], lang: str) -> list[str]:
    """Sentences about the supervisors' participation, built from the flow table."""
    if not flow:
        return []
    first, last = flow[0], flow[-1]
    n, c0 = fmt_int(first["invited"], lang), fmt_int(first["completed"], lang)  # type: ignore[arg-type]
    r0 = fmt_pct(first["response_rate"], lang)  # type: ignore[arg-type]
    cl = fmt_int(last["completed"], lang)  # type: ignore[arg-type]
    ret = fmt_pct(last["retention"], lang)  # type: ignore[arg-type]
    w0, wl = first["wave"], last["wave"]
    if lang == "en":
        out = [
            f"Of the {n} supervisors invited, {c0} completed the first questionnaire ({w0}, {r0})."
        ]
        if len(flow) > 1:
            out.append(
                f"At the last wave ({wl}) {cl} completed it; {ret} of the {w0} respondents stayed."
            )
        return out
    out = [
        f"Van de {n} uitgenodigde leidinggevenden vulden er {c0} de eerste vragenlijst in "
        f"({w0}, {r0})."
    ]
    if len(flow) > 1:
        out.append(
            f"Bij de laatste meting ({wl}) waren dat er {cl}; {ret} van wie {w0} invulde, "
            "bleef meedoen."
        )
    return out
