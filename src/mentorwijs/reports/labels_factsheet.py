"""Words of the factsheet in Dutch and English (``key: (nl, en)``); merged into
:data:`mentorwijs.reports.texts.LABELS`. Placeholders in braces are filled from the result."""

from __future__ import annotations

FACTSHEET_LABELS: dict[str, tuple[str, str]] = {
    "fs_title": ("Factsheet Mentorwijs", "Mentorwijs factsheet"),
    "fs_subtitle": (
        "Wat levert de training voor leidinggevenden op?",
        "What does the supervisor training achieve?",
    ),
    "fs_scope_all": ("cijfers voor de hele studie", "figures for the whole study"),
    "fs_scope_region": ("arbeidsmarktregio {r}", "labour-market region {r}"),
    "fs_key": ("Kerncijfers", "Key figures"),
    "fs_key_caption": (
        "Kerncijfers met hun onzekerheid (95%-betrouwbaarheidsinterval) in woorden",
        "Key figures with their uncertainty (95% confidence interval) in words",
    ),
    "fs_what": ("Wat", "What"),
    "fs_value": ("Waarde", "Value"),
    "fs_ci": ("95%-BI", "95% CI"),
    "fs_words": ("In woorden", "In words"),
    "fs_groups": ("Trainingsgroepen", "Training groups"),
    "fs_supervisors": ("Leidinggevenden in de training", "Supervisors in the training"),
    "fs_employees": ("Medewerkers van deze leidinggevenden", "Employees of these supervisors"),
    "fs_change_row": ("{scale}: verandering T0 → {wave}", "{scale}: change T0 → {wave}"),
    "fs_work_row": ("Werk op maand {m} (procentpunt)", "Work in month {m} (percentage points)"),
    "fs_cost_supervisor": ("Kosten per getrainde leidinggevende", "Cost per trained supervisor"),
    "fs_cost_employee": ("Kosten per bereikte medewerker", "Cost per employee reached"),
    "fs_npv_row": ("Saldo voor het overheidsbudget", "Balance for the public budget"),
    "fs_chance": ("kans op een positief saldo: {p}", "chance of a positive balance: {p}"),
    "fs_all_parties": ("alle partijen samen", "all parties together"),
    "fs_who": ("Wie deden mee?", "Who took part?"),
    "fs_who_text": (
        "{g} trainingsgroepen met {s} leidinggevenden, die samen {e} medewerkers begeleiden.",
        "{g} training groups with {s} supervisors, who together guide {e} employees.",
    ),
    "fs_learn": ("Wat leerden de leidinggevenden?", "What did the supervisors learn?"),
    "fs_change_figure": (
        "Kennis en zelfeffectiviteit van leidinggevenden: verandering ten opzichte van T0 "
        "(schaal 1–5), met 95%-betrouwbaarheidsinterval",
        "Supervisors' knowledge and self-efficacy: change from T0 (1–5 scale), with 95% "
        "confidence interval",
    ),
    "fs_work": ("Hebben hun medewerkers vaker werk?", "Do their employees work more often?"),
    "fs_work_text": (
        "Vergeleken met vergelijkbare werknemers zonder getrainde leidinggevende ({n} "
        "medewerkers in de registerdata):",
        "Compared with similar employees without a trained supervisor ({n} employees in the "
        "register data):",
    ),
    "fs_money": (
        "Wat kost het en wat levert het op?",
        "What does it cost and what does it return?",
    ),
    "fs_cost_text": (
        "De training kost {s} per getrainde leidinggevende en {e} per bereikte medewerker "
        "(alle partijen samen; de gemeente betaalt daarvan {sm} en {em}).",
        "The training costs {s} per trained supervisor and {e} per employee reached (all "
        "parties together; the municipality pays {sm} and {em} of that).",
    ),
    "fs_return_text": (
        "Voor het overheidsbudget (gemeente en Rijk) staan tegenover {c} aan kosten {b} aan "
        "baten: een saldo van {npv}.",
        "For the public budget (municipality and central government), costs of {c} are set "
        "against benefits of {b}: a balance of {npv}.",
    ),
    "fs_about": ("Over deze cijfers", "About these figures"),
    "fs_about_text": (
        "Een 95%-betrouwbaarheidsinterval (BI) geeft de marge van onzekerheid. 'Significant "
        "hoger' betekent dat het hele interval boven nul ligt; 'geen aanwijzing voor een "
        "verschil' dat het interval nul bevat. Cellen met minder dan {n} personen staan er niet "
        "in (<{n}). Gemaakt op {date} uit data met vingerafdruk {fp}. De methode en alle tabellen "
        "staan in de eindrapportage.",
        "A 95% confidence interval (CI) gives the margin of uncertainty. 'Significantly higher' "
        "means the whole interval lies above zero; 'no evidence of a difference' that the "
        "interval contains zero. Cells of fewer than {n} persons are left out (<{n}). Made on "
        "{date} from data with fingerprint {fp}. The methods and all tables are in the final "
        "report.",
    ),
    "too_few": ("te weinig personen om te rapporteren", "too few persons to report"),
    # --- regional factsheets
    "fs_key_caption_region": (
        "Kerncijfers van {r} met hun onzekerheid (95%-betrouwbaarheidsinterval) in woorden",
        "Key figures of {r} with their uncertainty (95% confidence interval) in words",
    ),
    "fs_in": (" (regio {r})", " (region {r})"),
    "fs_whole_suffix": (" (hele studie)", " (whole study)"),
    "fs_work_region_row": ("Effect op werk", "Effect on work"),
    "fs_too_few_region": (
        "te weinig medewerkers in deze regio voor een eigen schatting",
        "too few employees in this region for an estimate of its own",
    ),
    "fs_who_region_text": (
        "In {r}: {g} trainingsgroepen ({ip} fysiek, {on} online) met {s} leidinggevenden, die "
        "samen {e} medewerkers begeleiden.",
        "In {r}: {g} training groups ({ip} in person, {on} online) with {s} supervisors, who "
        "together guide {e} employees.",
    ),
    "fs_work_few": (
        "In {r} zijn {n} medewerkers gekoppeld aan de registerdata. Dat zijn er te weinig voor "
        "een eigen schatting van het effect op werk: daarvoor zijn er ten minste {m} nodig.",
        "In {r}, {n} employees are linked to the register data. That is too few for an "
        "estimate of the effect on work of its own: at least {m} are needed.",
    ),
    "fs_work_whole": (
        "In de hele studie, vergeleken met vergelijkbare werknemers zonder getrainde "
        "leidinggevende ({n} medewerkers in de registerdata):",
        "In the whole study, compared with similar employees without a trained supervisor ({n} "
        "employees in the register data):",
    ),
    "fs_national_effect": (
        "De baten zijn berekend met het effect op werk van de hele studie, toegepast op de "
        "bereikte medewerkers en de kosten van deze regio: een regio heeft te weinig "
        "medewerkers voor een eigen, betrouwbaar bedrag.",
        "The benefits use the whole study's effect on work, applied to this region's "
        "employees reached and costs: a region has too few employees for a reliable amount of "
        "its own.",
    ),
    "fs_about_region": (
        "De cijfers van deze regio en die van de hele studie komen uit één en dezelfde "
        "landelijke evaluatie.",
        "This region's figures and those of the whole study come from one and the same "
        "national evaluation.",
    ),
}
