"""Words of the products in Dutch and English, and the rules that turn numbers into text.

Every number in a sentence comes from the result; nothing here types a number.
"""

from __future__ import annotations

import math
from typing import Any

from mentorwijs.reports.labels_factsheet import FACTSHEET_LABELS
from mentorwijs.reports.labels_guide import EASYREAD_LABELS, GUIDE_LABELS
from mentorwijs.reports.labels_process import PROCESS_LABELS
from mentorwijs.reports.labels_report import REPORT_LABELS

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
    "groups_many": (
        "Met {n} trainingsgroepen staat de respons per groep niet hier maar in de tabel "
        "response_by_group van het resultaat; hier staat die per regio en per vorm.",
        "With {n} training groups the response per group is not listed here but in the "
        "result's table response_by_group; here it is given per region and per mode.",
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
    "settings": ("Instellingen", "Settings"),
    "skipped_caption": (
        "Analyses die (nog) niet konden worden uitgevoerd, met de reden",
        "Analyses that could not be run (yet), with the reason",
    ),
    "analysis": ("Analyse", "Analysis"),
    "reason": ("Reden", "Reason"),
    "scales": ("Schalen en betrouwbaarheid", "Scales and reliability"),
    "scales_caption": (
        "Betrouwbaarheid per schaal en meting (Cronbachs alfa met 95%-betrouwbaarheidsinterval, "
        "McDonalds omega) en het aandeel scores op de laagste en hoogste waarde",
        "Reliability per scale and wave (Cronbach's alpha with 95% confidence interval, "
        "McDonald's omega) and the share of scores at the lowest and highest value",
    ),
    "scale": ("Schaal", "Scale"),
    "alpha": ("Alfa (95%-BI)", "Alpha (95% CI)"),
    "omega": ("Omega", "Omega"),
    "floor": ("Bodem", "Floor"),
    "ceiling": ("Plafond", "Ceiling"),
    "n": ("n", "n"),
    "scales_text": (
        "Alfa en omega van 0,70 of hoger gelden als voldoende betrouwbaar. Een groot aandeel "
        "scores op de hoogste waarde (plafond) laat weinig ruimte om vooruit te gaan.",
        "Alpha and omega of 0.70 or more count as sufficiently reliable. A large share of scores "
        "at the highest value (ceiling) leaves little room to improve.",
    ),
    "scales_low": (
        "Minder betrouwbaar dan 0,70 (alfa): {names}.",
        "Less reliable than 0.70 (alpha): {names}.",
    ),
    "change": ("Verandering bij leidinggevenden", "Change in supervisors"),
    "change_caption": (
        "Verandering ten opzichte van T0 per schaal en meting (lineair gemengd model, "
        "95%-betrouwbaarheidsinterval; effectgrootte = verandering / standaarddeviatie op T0)",
        "Change from T0 per scale and wave (linear mixed model, 95% confidence interval; "
        "effect size = change / standard deviation at T0)",
    ),
    "change_figure": (
        "Verandering ten opzichte van T0 per schaal, met 95%-betrouwbaarheidsinterval",
        "Change from T0 per scale, with 95% confidence interval",
    ),
    "change_axis": ("Verandering t.o.v. T0 (schaal 1–5)", "Change from T0 (1–5 scale)"),
    "estimate_ci": ("Verandering (95%-BI)", "Change (95% CI)"),
    "effect_size": ("Effectgrootte", "Effect size"),
    "p_value": ("p", "p"),
    "attrition_caption": (
        "Uitval: kenmerken op T0 van wie T3 wel en niet invulde",
        "Attrition: characteristics at T0 of those who did and did not complete T3",
    ),
    "variable": ("Kenmerk", "Characteristic"),
    "stayers": ("Bleef (T3 ingevuld)", "Stayed (completed T3)"),
    "leavers": ("Viel uit", "Dropped out"),
    "smd": ("Gestandaardiseerd verschil", "Standardised difference"),
    "mi_text": (
        "Als gevoeligheidsanalyse zijn ontbrekende scores {m} keer aangevuld (multipele "
        "imputatie met gekoppelde vergelijkingen) en de resultaten gecombineerd met de regels "
        "van Rubin. De grootste afwijking van de hoofdanalyse is {diff} punt.",
        "As a sensitivity analysis, missing scores were imputed {m} times (multiple imputation "
        "by chained equations) and the results pooled with Rubin's rules. The largest "
        "difference from the main analysis is {diff} points.",
    ),
    "age": ("Leeftijd", "Age"),
    "years_experience": ("Jaren ervaring", "Years of experience"),
    "employees_guided": ("Aantal begeleide medewerkers", "Employees guided"),
    "sex_female": ("Aandeel vrouwen", "Share of women"),
    # --- employment
    "employment": ("Werk van medewerkers", "Employees' work"),
    "employment_text": (
        "Medewerkers van getrainde leidinggevenden zijn gekoppeld aan registerdata en vergeleken "
        "met {k} vergelijkbare werknemers uit andere regio's per medewerker (matching op de "
        "propensity score). Het verschil-in-verschillen per maand sinds de start laat zien "
        "hoeveel vaker zij werk hadden dan hun vergelijkingsgroep.",
        "Employees of trained supervisors were linked to register data and compared with {k} "
        "similar employees from other regions each (propensity-score matching). The "
        "difference-in-differences by month since the start shows how much more often they "
        "had work than their comparison group.",
    ),
    "employment_sentence": (
        "Op maand {m} na de start was het aandeel medewerkers met werk {words} dan bij de "
        "vergelijkingsgroep ({est} procentpunt; 95%-BI {ci}).",
        "In month {m} after the start the share of employees in work was {words} than in the "
        "comparison group ({est} percentage points; 95% CI {ci}).",
    ),
    "employment_flat": (
        "Op maand {m} na de start is er geen aanwijzing voor een verschil met de "
        "vergelijkingsgroep ({est} procentpunt; 95%-BI {ci}).",
        "In month {m} after the start there is no evidence of a difference from the comparison "
        "group ({est} percentage points; 95% CI {ci}).",
    ),
    "employment_suppressed": (
        "Het effect op werk rust op minder dan 10 personen en wordt daarom niet getoond.",
        "The effect on work rests on fewer than 10 persons and is therefore not shown.",
    ),
    "tests_ok": (
        "De trends vóór de start verschillen niet aantoonbaar (p = {pre}) en de placebotoets "
        "zes maanden vóór de start vindt geen effect (p = {plc}): dat ondersteunt de aanpak.",
        "The trends before the start do not differ detectably (p = {pre}) and the placebo test "
        "six months before the start finds no effect (p = {plc}): this supports the approach.",
    ),
    "tests_warn": (
        "Let op: de trends vóór de start verschillen (p = {pre}) of de placebotoets zes maanden "
        "vóór de start vindt een effect (p = {plc}). De effecten kunnen vertekend zijn.",
        "Caution: the trends before the start differ (p = {pre}) or the placebo test six months "
        "before the start finds an effect (p = {plc}). The effects may be biased.",
    ),
    "event_figure": (
        "Effect op werk (≥ 1 uur in de maand) per maand sinds de start, met "
        "95%-betrouwbaarheidsinterval",
        "Effect on work (≥ 1 hour in the month) by month since the start, with 95% "
        "confidence interval",
    ),
    "event_axis": ("Verschil in aandeel met werk", "Difference in share in work"),
    "months_since": ("Maanden sinds de start", "Months since the start"),
    "trajectory_figure": (
        "Aandeel met werk per maand: medewerkers van getrainde leidinggevenden en hun gematchte "
        "vergelijkingsgroep",
        "Share in work by month: employees of trained supervisors and their matched comparison "
        "group",
    ),
    "share_in_work": ("Aandeel met werk", "Share in work"),
    "treated": ("Medewerkers (training)", "Employees (training)"),
    "control": ("Vergelijkingsgroep", "Comparison group"),
    "outcomes_caption": (
        "Effect per uitkomst, gemiddeld over maand {a} tot en met {b} na de start",
        "Effect per outcome, averaged over months {a} to {b} after the start",
    ),
    "outcome": ("Uitkomst", "Outcome"),
    "employed_1h": ("Werk (≥ 1 uur in de maand)", "Work (≥ 1 hour in the month)"),
    "employed_12h": ("Werk (≥ 12 uur per week)", "Work (≥ 12 hours a week)"),
    "employed_3m": ("Werk 3 maanden aaneen", "Work 3 months in a row"),
    "on_benefit": ("Uitkering", "Benefit"),
    "earnings": ("Loon per maand (euro)", "Earnings a month (euro)"),
    "love_figure": (
        "Balans van de kenmerken vóór en na matching (absoluut gestandaardiseerd verschil; "
        "onder 0,1 geldt als in balans)",
        "Balance of the characteristics before and after matching (absolute standardised "
        "difference; below 0.1 counts as balanced)",
    ),
    "before": ("vóór matching", "before matching"),
    "balance_heading": ("Balans na matching", "Balance after matching"),
    "subgroups_heading": ("Subgroepen", "Subgroups"),
    "retention_heading": ("Behoud van werk", "Keeping work"),
    "uncertainty_heading": ("Gevoeligheid en onzekerheid", "Sensitivity and uncertainty"),
    "after": ("na matching", "after matching"),
    "subgroups_caption": (
        "Effect op werk per subgroep, gemiddeld over maand 0 tot en met 12 (verkennend)",
        "Effect on work per subgroup, averaged over months 0 to 12 (exploratory)",
    ),
    "modifier": ("Kenmerk", "Characteristic"),
    "subgroup": ("Groep", "Group"),
    "retention_text": (
        "Van wie bij de start werk had, verliet de groep met training dat werk {words} dan de "
        "vergelijkingsgroep (hazard ratio {hr}; 95%-BI {ci}).",
        "Of those in work at the start, the trained group left work {words} than the comparison "
        "group (hazard ratio {hr}; 95% CI {ci}).",
    ),
    # --- cost-benefit
    "costbenefit": ("Kosten en baten", "Costs and benefits"),
    "cb_text": (
        "De kosten van de training zijn afgezet tegen de baten van het gemeten effect op werk, "
        "over {h} maanden en verdisconteerd met {r} per jaar. Het overheidsbudget (gemeente en "
        "Rijk) en de maatschappelijke kosten-batenanalyse (MKBA, volgens de algemene leidraad "
        "van CPB en PBL) zijn twee verschillende vragen: in de MKBA vallen uitkeringen als "
        "overdrachten tegen elkaar weg.",
        "The costs of the training are set against the benefits of the measured effect on work, "
        "over {h} months and discounted at {r} a year. The public budget (municipality and "
        "central government) and the social cost-benefit analysis (MKBA, following the CPB/PBL "
        "general guidance) answer different questions: in the MKBA, benefits paid are "
        "transfers that cancel out.",
    ),
    "cb_summary_caption": (
        "Contante waarde van kosten en baten per perspectief (euro)",
        "Present value of costs and benefits per perspective (euro)",
    ),
    "view": ("Perspectief", "Perspective"),
    "public_budget": ("Overheidsbudget", "Public budget"),
    "municipality": ("Gemeente", "Municipality"),
    "mkba": ("Maatschappij (MKBA)", "Society (MKBA)"),
    "sroi": ("SROI", "SROI"),
    "central_government": ("Rijk", "Central government"),
    "employer": ("Werkgever", "Employer"),
    "employee": ("Werknemer", "Employee"),
    "society": ("Overig maatschappij", "Rest of society"),
    "costs": ("Kosten", "Costs"),
    "benefits": ("Baten", "Benefits"),
    "npv": ("Netto contante waarde", "Net present value"),
    "bcr": ("Baten/kosten", "Benefit/cost"),
    "p_positive": ("Kans op positief saldo", "Chance of a positive balance"),
    "actors_caption": (
        "Wie betaalt en wie wint: contante waarde per partij (euro)",
        "Who pays and who gains: present value per party (euro)",
    ),
    "actor": ("Partij", "Party"),
    "break_even_text": (
        "Voor het overheidsbudget verdient de training zich terug als ten minste {x} extra "
        "mensen op de 100 hun baan {y} maanden langer houden.",
        "For the public budget the training pays for itself if at least {x} extra people in "
        "100 keep their job for {y} months longer.",
    ),
    "psa_text": (
        "Met alle onzekerheid samen ({n} trekkingen) is de kans op een positief saldo voor het "
        "overheidsbudget {p}; de netto contante waarde ligt met 95% zekerheid tussen {lo} en {hi}.",
        "With all uncertainty together ({n} draws) the chance of a positive balance for the "
        "public budget is {p}; the net present value lies between {lo} and {hi} with 95% "
        "certainty.",
    ),
    "tornado_figure": (
        "Gevoeligheid: de netto contante waarde voor het overheidsbudget als één parameter "
        "zijn lage of hoge waarde aanneemt",
        "Sensitivity: the net present value for the public budget when one parameter takes its "
        "low or high value",
    ),
    "npv_axis": ("Netto contante waarde (euro)", "Net present value (euro)"),
    "acceptability_figure": (
        "Kans op een positief saldo tegen wat een extra maand werk de gemeente waard is",
        "Chance of a positive balance against what an extra month of work is worth to the "
        "municipality",
    ),
    "wtp_axis": (
        "Waarde van een extra maand werk (euro)",
        "Value of an extra month of work (euro)",
    ),
    "probability": ("Kans", "Probability"),
    "break_even_figure": (
        "Verdeling van de terugverdienmaand over de trekkingen (overheidsbudget)",
        "Distribution of the break-even month over the draws (public budget)",
    ),
    "break_even_axis": ("Terugverdiend in maand", "Breaks even in month"),
    "share_of_draws": ("Aandeel trekkingen", "Share of draws"),
    "employment_effect": ("Effect op werk", "Effect on work"),
    "effect": ("Effect", "Effect"),
    "effect_ci": ("Effect (95%-BI)", "Effect (95% CI)"),
    "effect_units": (
        "Werk en uitkering in procentpunten, loon in euro per maand.",
        "Work and benefit in percentage points, earnings in euros a month.",
    ),
    "temporary_contract": ("Tijdelijk contract", "Temporary contract"),
    "sheltered": ("Beschut werk (sw-bedrijf)", "Sheltered work"),
    "employer_size": ("Grootte van de werkgever", "Size of the employer"),
    "public_sector": ("Publieke sector", "Public sector"),
    "caseload_under_10": (
        "Leidinggevende begeleidt minder dan 10 medewerkers",
        "Supervisor guides fewer than 10 employees",
    ),
    "social_assistance_before": (
        "Bijstand of WW in de 12 maanden ervoor",
        "Social assistance or unemployment benefit in the 12 months before",
    ),
    "disability_benefit_before": (
        "Ziekte- of arbeidsongeschiktheidsuitkering in de 12 maanden ervoor",
        "Sickness or disability benefit in the 12 months before",
    ),
    "True": ("ja", "yes"),
    "False": ("nee", "no"),
    "small": ("klein (< 50)", "small (< 50)"),
    "medium": ("middel (50–249)", "medium (50–249)"),
    "large": ("groot (250+)", "large (250+)"),
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
LABELS.update(FACTSHEET_LABELS)
LABELS.update(REPORT_LABELS)
LABELS.update(PROCESS_LABELS)
LABELS.update(GUIDE_LABELS)
LABELS.update(EASYREAD_LABELS)


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang``."""
    nl, en = LABELS[key]
    return en if lang == "en" else nl


def term_label(term: str, lang: str) -> str:
    """A matching characteristic in words: ``sector[care]`` → "Sector: zorg"; a term without
    a label is shown as it is."""
    variable, _, level = term.partition("[")
    level = level.rstrip("]")
    name = LABELS.get(f"cov_{variable}")
    if name is None:
        return term
    text = t(f"cov_{variable}", lang)
    if level:
        key = f"cov_{variable}={level}"
        text += ": " + (t(key, lang) if key in LABELS else level)
    return text


def fmt_int(x: float | None, lang: str) -> str:
    """A count, or "<10" for a suppressed cell."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    s = f"{round(x):,}"
    return s.replace(",", ".") if lang == "nl" else s


def fmt_num(x: float | None, lang: str, digits: int = 2, *, sign: bool = False) -> str:
    """A number with ``digits`` decimals, a decimal comma in Dutch, "<10" when suppressed."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    if round(x, digits) == 0:
        x = 0.0  # no "−0,00" and no "+0,00"
        sign = False
    s = f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"
    s = s.replace("-", "−")
    return s.replace(".", ",") if lang == "nl" else s


def fmt_ci(low: float | None, high: float | None, lang: str, digits: int = 2) -> str:
    """A confidence interval, e.g. "0,35 tot 0,61" / "0.35 to 0.61"."""
    word = "to" if lang == "en" else "tot"
    return f"{fmt_num(low, lang, digits)} {word} {fmt_num(high, lang, digits)}"


def fmt_p(p: float | None, lang: str) -> str:
    """A p-value: three decimals, or "<0,001"."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return t("suppressed", lang)
    if p < 0.001:
        return "<" + fmt_num(0.001, lang, 3)
    return fmt_num(p, lang, 3)


def fmt_eur(x: float | None, lang: str) -> str:
    """An amount in whole euros: "€ 12.345" (a no-break space) / "€12,345"."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{abs(x):,.0f}"
    s = s.replace(",", ".") if lang == "nl" else s
    sign = "−" if x < 0 else ""
    return f"{sign}€\u00a0{s}" if lang == "nl" else f"{sign}€{s}"  # no line break after €


def fmt_pp(x: float | None, lang: str) -> str:
    """A difference in shares as whole percentage points with sign ("+5", "−3")."""
    return fmt_num(None if x is None else 100 * x, lang, 0, sign=True)


def fmt_ci_pp(low: float | None, high: float | None, lang: str) -> str:
    """An interval of a difference in shares in whole percentage points ("−3 tot 12")."""
    return fmt_ci(None if low is None else 100 * low, None if high is None else 100 * high, lang, 0)


def fmt_pct(x: float | None, lang: str) -> str:
    """A share as a whole percentage ("77%"), or "<10" when suppressed."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    return f"{round(100 * x)}%"


def fmt_out_of_10(x: float | None, lang: str) -> str:
    """A share as a whole number out of ten ("9" for 0.92: "9 van de 10"), "<10" if suppressed."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    return str(round(10 * x))


def fmt_per_100(x: float | None, lang: str) -> str:
    """A difference in shares as a whole number per 100 people, without sign ("5")."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("suppressed", lang)
    return str(abs(round(100 * x)))


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


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def verdict(estimate: float, low: float, high: float, lang: str) -> str:
    """The rule that turns an estimate and its 95% interval into words.

    An interval above zero is "significantly higher", below zero "significantly lower",
    across zero "no evidence of a difference".
    """
    if low > 0:
        return "significant hoger" if lang == "nl" else "significantly higher"
    if high < 0:
        return "significant lager" if lang == "nl" else "significantly lower"
    return "geen aanwijzing voor een verschil" if lang == "nl" else "no evidence of a difference"


def change_sentence(label: str, row: dict[str, Any], lang: str) -> str:
    """One sentence on a scale's change from T0 at one wave, built from its result row."""
    est, low, high, wave = row["estimate"], row["ci_low"], row["ci_high"], row["wave"]
    if any(_missing(v) for v in (est, low, high)):
        few = (
            "te weinig personen om te rapporteren" if lang == "nl" else "too few persons to report"
        )
        return f"{label} ({wave}): {few}."
    words = verdict(est, low, high, lang)
    ci = ("95%-BI " if lang == "nl" else "95% CI ") + fmt_ci(low, high, lang)
    numbers = f"{fmt_num(est, lang, sign=True)}; {ci}"
    if lang == "en":
        joint = "from" if words.startswith("no evidence") else "than at"
        return f"{label} at {wave}: {words} {joint} T0 ({numbers})."
    if words.startswith("geen"):
        return f"{label} op {wave}: {words} met T0 ({numbers})."
    return f"{label} op {wave}: {words} dan op T0 ({numbers})."
