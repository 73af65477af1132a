"""Words of the process and interview sections of the final report, in Dutch and English
(``key: (nl, en)``); merged into :data:`mentorwijs.reports.texts.LABELS`. Placeholders in
braces are filled from the result, never typed."""

from __future__ import annotations

PROCESS_LABELS: dict[str, tuple[str, str]] = {
    "process": ("Uitvoering en proces", "Process and implementation"),
    "process_reach_text": (
        "Van de {inv} uitgenodigde leidinggevenden schreven {enr} zich in voor een groep en "
        "woonden {tr} ({share}) ten minste één bijeenkomst bij. Zij werken bij {emp} werkgevers "
        "en begeleiden samen {ee} medewerkers.",
        "Of the {inv} supervisors invited, {enr} enrolled in a group and {tr} ({share}) "
        "attended at least one meeting. They work at {emp} employers and together guide {ee} "
        "employees.",
    ),
    "process_delivery_text": (
        "Van de {planned} geplande bijeenkomsten gingen er {held} door ({share}). Van de "
        "geplande onderdelen werd {fid} uitgevoerd (programmatrouw; per groep van {lo} tot {hi}).",
        "Of the {planned} meetings planned, {held} took place ({share}). Of the planned parts, "
        "{fid} were delivered (fidelity; per group from {lo} to {hi}).",
    ),
    "process_delivery_caption": (
        "Uitvoering per regio en vorm: bijeenkomsten, programmatrouw en duur",
        "Delivery per region and mode: meetings, fidelity and duration",
    ),
    "groups_col": ("Groepen", "Groups"),
    "meetings_held": ("Bijeenkomsten doorgegaan", "Meetings held"),
    "fidelity": ("Programmatrouw (min–max)", "Fidelity (min–max)"),
    "duration": ("Duur (minuten)", "Duration (minutes)"),
    "overall": ("totaal", "overall"),
    "all": ("alle", "all"),
    "process_dose_text": (
        "{all} van de leidinggevenden woonde alle {m} bijeenkomsten bij en {less} er {m1}.",
        "{all} of the supervisors attended all {m} meetings and {less} attended {m1}.",
    ),
    "process_dose_caption": (
        "Aantal bijgewoonde bijeenkomsten per leidinggevende (presentielijsten)",
        "Meetings attended per supervisor (attendance registers)",
    ),
    "process_satisfaction_text": (
        "Leidinggevenden waren het meest tevreden over {best} (gemiddeld {bm} op 1–5) en het "
        "minst over {worst} ({wm}).",
        "Supervisors were most satisfied with {best} (mean {bm} on 1–5) and least with "
        "{worst} ({wm}).",
    ),
    "process_satisfaction_caption": (
        "Tevredenheid over de training ({w}; schaal 1–5, tevreden = 4 of 5)",
        "Satisfaction with the training ({w}; 1–5 scale, satisfied = 4 or 5)",
    ),
    "aspect": ("Onderdeel", "Aspect"),
    "mean_sd": ("Gemiddelde (sd)", "Mean (sd)"),
    "share_satisfied": ("Tevreden", "Satisfied"),
    "sat_general": ("de training in het algemeen", "the training in general"),
    "sat_meetings": ("de bijeenkomsten", "the meetings"),
    "sat_trainers": ("de trainers", "the trainers"),
    "sat_content": ("de inhoud", "the content"),
    "sat_methods": ("de werkvormen", "the methods"),
    "sat_structure": ("de opbouw", "the structure"),
    "sat_duration": ("de duur", "the duration"),
    "process_extra_text": (
        "{share} van de leidinggevenden besteedt sinds de training meer tijd aan begeleiding: "
        "gemiddeld {mean} uur per week extra (mediaan {median}).",
        "{share} of the supervisors spend more time on guidance since the training: on average "
        "{mean} extra hours a week (median {median}).",
    ),
    "process_determinants_text": (
        "In hun eigen organisatie scoorden leidinggevenden {first} en {second} het laagst.",
        "In their own organisation supervisors scored {first} and {second} lowest.",
    ),
    "process_determinants_caption": (
        "Randvoorwaarden in de eigen organisatie ({w}), van laag naar hoog (schaal 1–5; "
        "belemmering = 1 of 2, bevorderend = 4 of 5)",
        "Conditions in the own organisation ({w}), from low to high (1–5 scale; barrier = 1 "
        "or 2, facilitator = 4 or 5)",
    ),
    "rank": ("Rang", "Rank"),
    "determinant": ("Randvoorwaarde", "Condition"),
    "share_barrier": ("Belemmering", "Barrier"),
    "share_facilitator": ("Bevorderend", "Facilitator"),
    "det_feedback": ("terugkoppeling op de begeleiding", "feedback on the guidance"),
    "det_endorsement": ("formele steun van de directie", "formal endorsement by management"),
    "det_time": ("tijd voor begeleiding", "time for guidance"),
    "det_resources": ("middelen voor begeleiding", "resources for guidance"),
    "det_colleagues": ("hulp van collega's", "help from colleagues"),
    "process_effect_heading": ("Uitvoering en effect", "Process and effect"),
    "process_effect_text": (
        "Hangt het effect samen met hoe de training liep? Per kenmerk staat hieronder het "
        "verschil in effect tussen de groepen. Van de {n} vergelijkingen wijzen er {k} op een "
        "verschil (95%-interval zonder nul). Het zijn veel vergelijkingen op kleine groepen: "
        "lees ze als verkennend.",
        "Is the effect related to how the training went? Below, per characteristic, the "
        "difference in effect between the groups. Of the {n} comparisons, {k} point to a "
        "difference (95% interval excluding zero). These are many comparisons on small groups: "
        "read them as exploratory.",
    ),
    "process_effect_caption": (
        "Verschil in effect tussen subgroepen: werk (procentpunt, gemiddeld over maand 0–12) "
        "en verandering van leidinggevenden t.o.v. T0 op {w}",
        "Difference in effect between subgroups: work (percentage points, mean over months "
        "0–12) and supervisors' change from T0 at {w}",
    ),
    "moderator": ("Kenmerk", "Characteristic"),
    "comparison": ("Vergelijking", "Comparison"),
    "difference_ci": ("Verschil (95%-BI)", "Difference (95% CI)"),
    "versus": ("{a} t.o.v. {b}", "{a} versus {b}"),
    "dose_full": ("alle bijeenkomsten bijgewoond", "attended every meeting"),
    "delivery_mode": ("vorm van de training", "mode of the training"),
    "det_feedback_barrier": (
        "terugkoppeling ervaren als belemmering",
        "feedback experienced as a barrier",
    ),
    "det_endorsement_barrier": (
        "steun van de directie ervaren als belemmering",
        "management endorsement experienced as a barrier",
    ),
    "det_time_barrier": ("tijd ervaren als belemmering", "time experienced as a barrier"),
    "det_resources_barrier": (
        "middelen ervaren als belemmering",
        "resources experienced as a barrier",
    ),
    "det_colleagues_barrier": (
        "hulp van collega's ervaren als belemmering",
        "help from colleagues experienced as a barrier",
    ),
    # --- interviews
    "interviews": ("Interviews: thema's en citaten", "Interviews: themes and quotes"),
    "interviews_text": (
        "Er zijn {n} interviews gehouden ({roles}) en gecodeerd met het MIDI-codeboek van "
        "determinanten van implementatie (Fleuren e.a. 2014).",
        "{n} interviews were held ({roles}) and coded with the MIDI codebook of determinants "
        "of implementation (Fleuren et al. 2014).",
    ),
    "interviews_kappa": (
        "{d} interviews zijn door twee codeurs gecodeerd; hun overeenstemming is kappa = {k} "
        "(per teken) en {kp} (per fragment).",
        "{d} interviews were coded by two coders; their agreement is kappa = {k} (per "
        "character) and {kp} (per passage).",
    ),
    "interviews_codes_caption": (
        "De vaakst genoemde thema's: in hoeveel interviews een code voorkomt",
        "The themes raised most often: in how many interviews a code occurs",
    ),
    "theme": ("Thema", "Theme"),
    "interviews_col": ("Interviews", "Interviews"),
    "factors_heading": ("Belemmeringen en bevorderende factoren", "Barriers and facilitators"),
    "factors_text": (
        "Vragenlijst en interviews samen: de score is het gemiddelde van het aandeel "
        "leidinggevenden dat een randvoorwaarde zo scoort en het aandeel interviews dat haar zo "
        "noemt.",
        "Questionnaire and interviews together: the score is the mean of the share of "
        "supervisors scoring a condition so and the share of interviews naming it so.",
    ),
    "barriers_caption": (
        "Belemmeringen, in volgorde van belang",
        "Barriers, in order of importance",
    ),
    "facilitators_caption": (
        "Bevorderende factoren, in volgorde van belang",
        "Facilitators, in order of importance",
    ),
    "questionnaire_col": ("Vragenlijst", "Questionnaire"),
    "score": ("Score", "Score"),
    "factor_answers_barrier": (
        "{p} van de leidinggevenden ervaart dit als belemmering",
        "{p} of the supervisors experience this as a barrier",
    ),
    "factor_answers_facilitator": (
        "{p} van de leidinggevenden ervaart dit als steun",
        "{p} of the supervisors experience this as support",
    ),
    "factor_interviews": (
        "genoemd in {k} van de {n} interviews",
        "named in {k} of the {n} interviews",
    ),
    "quotes_heading": ("Citaten", "Quotes"),
    "quotes_text": (
        "Bij de belangrijkste belemmeringen en bevorderende factoren een citaat uit de "
        "interviews, in de taal van het interview. Namen zijn vervangen door een rol en een "
        "letter.",
        "For the main barriers and facilitators, a quote from the interviews, in the "
        "language of the interview. Names are replaced by a role and a letter.",
    ),
    "quote_barrier": ("belemmering: {f}", "barrier: {f}"),
    "quote_facilitator": ("bevorderend: {f}", "facilitator: {f}"),
    "role_trainer": ("trainer", "trainer"),
    "role_supervisor": ("leidinggevende", "supervisor"),
    "role_employee": ("medewerker", "employee"),
    "role_coordinator": ("coördinator", "coordinator"),
    "roles_count": ("{n} {role}", "{n} {role}"),
}
