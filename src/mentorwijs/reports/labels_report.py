"""Words of the final report's later sections (limitations; process and implementation) in
Dutch and English (``key: (nl, en)``); merged into :data:`mentorwijs.reports.texts.LABELS`.
Placeholders in braces are filled from the result, never typed."""

from __future__ import annotations

REPORT_LABELS: dict[str, tuple[str, str]] = {
    "summary_money": (
        "Voor het overheidsbudget is het saldo van kosten en baten {npv}; de kans op een "
        "positief saldo is {p}.",
        "For the public budget the balance of costs and benefits is {npv}; the chance of a "
        "positive balance is {p}.",
    ),
    # --- matching characteristics (variable, and variable=level)
    "cov_sex": ("Geslacht", "Sex"),
    "cov_sex=f": ("vrouw", "female"),
    "cov_sex=m": ("man", "male"),
    "cov_age": ("Leeftijd", "Age"),
    "cov_education": ("Opleiding", "Education"),
    "cov_education=low": ("laag", "low"),
    "cov_education=middle": ("middelbaar", "middle"),
    "cov_education=high": ("hoog", "high"),
    "cov_migration_background": ("Migratieachtergrond", "Migration background"),
    "cov_months_worked_12m": (
        "Maanden gewerkt in de 12 maanden ervoor",
        "Months worked in the 12 months before",
    ),
    "cov_months_worked_24_13m": (
        "Maanden gewerkt 24 tot 13 maanden ervoor",
        "Months worked 24 to 13 months before",
    ),
    "cov_earnings_12m": ("Loon in de 12 maanden ervoor", "Earnings in the 12 months before"),
    "cov_years_in_job": ("Jaren in de huidige baan", "Years in the current job"),
    "cov_benefit_sa_ue_12m": (
        "Bijstand of WW in de 12 maanden ervoor",
        "Social assistance or unemployment benefit in the 12 months before",
    ),
    "cov_benefit_sick_dis_12m": (
        "Ziekte- of arbeidsongeschiktheidsuitkering in de 12 maanden ervoor",
        "Sickness or disability benefit in the 12 months before",
    ),
    "cov_temporary_contract": ("Tijdelijk contract", "Temporary contract"),
    "cov_sheltered": ("Beschut werk", "Sheltered work"),
    "cov_hourly_wage": ("Uurloon", "Hourly wage"),
    "cov_employer_size": ("Grootte van de werkgever", "Size of the employer"),
    "cov_employer_size=small": ("klein", "small"),
    "cov_employer_size=medium": ("middel", "medium"),
    "cov_employer_size=large": ("groot", "large"),
    "cov_sector": ("Sector", "Sector"),
    "cov_sector=agriculture": ("landbouw", "agriculture"),
    "cov_sector=care": ("zorg", "care"),
    "cov_sector=construction": ("bouw", "construction"),
    "cov_sector=hospitality": ("horeca", "hospitality"),
    "cov_sector=industry": ("industrie", "industry"),
    "cov_sector=logistics": ("logistiek", "logistics"),
    "cov_sector=other": ("overig", "other"),
    "cov_sector=public": ("overheid", "public"),
    "cov_sector=retail": ("detailhandel", "retail"),
    "cov_sector=services": ("dienstverlening", "services"),
    "cov_region_id": ("Regio", "Region"),
    # --- limitations
    "limitations": ("Beperkingen", "Limitations"),
    "lim_intro": (
        "Deze beperkingen volgen uit de resultaten zelf; lees de uitkomsten hiermee in gedachten.",
        "These limitations follow from the results themselves; read the findings with them "
        "in mind.",
    ),
    "lim_employment_suppressed": (
        "Het effect op werk rust op minder dan 10 personen en kan daarom niet worden getoond.",
        "The effect on work rests on fewer than 10 persons and therefore cannot be shown.",
    ),
    "lim_small_treated": (
        "Het effect op werk rust op {n} medewerkers. Daardoor zijn de intervallen breed (op "
        "maand {m}: {ci} procentpunt) en kan een klein effect onopgemerkt blijven.",
        "The effect on work rests on {n} employees. So the intervals are wide (in month {m}: "
        "{ci} percentage points) and a small effect may go unseen.",
    ),
    "lim_small_supervisors": (
        "Maar {c} leidinggevenden vulden de eerste vragenlijst ({w}) in: kleine veranderingen "
        "zijn met zo weinig mensen moeilijk aan te tonen.",
        "Only {c} supervisors completed the first questionnaire ({w}): small changes are hard "
        "to show with so few people.",
    ),
    "lim_attrition": (
        "Van de leidinggevenden die {w0} invulden, vulde {ret} ook {w} in.",
        "Of the supervisors who completed {w0}, {ret} also completed {w}.",
    ),
    "lim_attrition_differ": (
        "Wie uitviel, verschilde op {w0} van wie bleef in: {names}; de verandering kan daardoor "
        "vertekend zijn.",
        "Those who dropped out differed at baseline from those who stayed in: {names}; the "
        "change may be biased by this.",
    ),
    "lim_attrition_alike": (
        "Wie uitviel, verschilde bij de start niet aantoonbaar van wie bleef, maar kan in "
        "ongemeten kenmerken verschillen.",
        "Those who dropped out did not differ detectably at the start from those who stayed, "
        "but may differ in what was not measured.",
    ),
    "lim_pretrends": ("toets op trends vóór de start", "test of trends before the start"),
    "lim_placebo": ("placebotoets", "placebo test"),
    "lim_tests": (
        "Een toets van de opzet wijst op een verschil vóór de start: {names}. De effecten op "
        "die uitkomsten kunnen vertekend zijn.",
        "A test of the design points to a difference before the start: {names}. The effects "
        "on those outcomes may be biased.",
    ),
    "lim_reliability": (
        "Minder betrouwbare schalen (alfa onder {a}): {names}.",
        "Less reliable scales (alpha below {a}): {names}.",
    ),
    "lim_ceiling": (
        "Veel scores op de hoogste waarde bij de start (plafond), dus weinig ruimte om vooruit "
        "te gaan: {names}.",
        "Many scores at the highest value at the start (ceiling), so little room to improve: "
        "{names}.",
    ),
    "lim_balance": (
        "Na matching zijn {n} kenmerken nog niet in balans (gestandaardiseerd verschil boven "
        "{d}): {names}.",
        "After matching, {n} characteristics are still out of balance (standardised "
        "difference above {d}): {names}.",
    ),
    "lim_balance_one": (
        "Na matching is één kenmerk nog niet in balans (gestandaardiseerd verschil boven {d}): "
        "{names}.",
        "After matching, one characteristic is still out of balance (standardised difference "
        "above {d}): {names}.",
    ),
    "lim_convergence": (
        "Het gemengde model convergeerde niet voor: {names}; die cijfers zijn onzeker.",
        "The mixed model did not converge for: {names}; those figures are uncertain.",
    ),
    "lim_skipped": (
        "Niet uitgevoerd (de reden staat bij de methode): {names}.",
        "Not run (the reason is given under Methods): {names}.",
    ),
    "lim_design": (
        "De opzet is niet gerandomiseerd: leidinggevenden kozen zelf welke medewerkers "
        "meededen, de vergelijkingsgroep komt uit andere regio's en de uitkomsten van "
        "leidinggevenden zijn zelfrapportage.",
        "The design is not randomised: supervisors chose which employees took part, the "
        "comparison group comes from other regions and the supervisors' outcomes are "
        "self-reported.",
    ),
}
