"""Words of the practice guide (plain Dutch at B1 level, and English) and of the employees'
easy-read version (short sentences, everyday words), as ``key: (nl, en)``; merged into
:data:`mentorwijs.reports.texts.LABELS`. Placeholders in braces are filled from the result;
which sentence and which tip appear is decided by rules in ``sections/guide.py`` and
``sections/easyread.py``."""

from __future__ import annotations

GUIDE_LABELS: dict[str, tuple[str, str]] = {
    "guide_title": ("Praktijkgids Mentorwijs", "Mentorwijs practice guide"),
    "guide_subtitle": (
        "Wat werkt, en wanneer? Voor werkgeversdienstverleners van gemeenten",
        "What works, and when? For employer-services professionals at municipalities",
    ),
    "guide_about": ("Over deze gids", "About this guide"),
    "guide_about_text": (
        "Mentorwijs is een training voor leidinggevenden die medewerkers met een beperking "
        "begeleiden. Deze gids is voor u als u werkgevers helpt: u werft bedrijven, u "
        "organiseert de groepen en u houdt contact met de leidinggevenden. De gids zegt wat de "
        "evaluatie vond en wat u daarmee kunt doen. Alle cijfers komen uit de evaluatie.",
        "Mentorwijs is a training for supervisors who guide employees with a disability. This "
        "guide is for you if you help employers: you recruit companies, you organise the groups "
        "and you stay in touch with the supervisors. It says what the evaluation found and what "
        "you can do with it. All figures come from the evaluation.",
    ),
    "guide_scope": (
        "In de evaluatie: {g} groepen met {s} leidinggevenden, die samen {e} medewerkers "
        "begeleiden.",
        "In the evaluation: {g} groups with {s} supervisors, who together guide {e} employees.",
    ),
    "guide_results": ("Wat levert de training op?", "What does the training achieve?"),
    "guide_knowledge_up": (
        "Leidinggevenden weten na de training meer over werken met een beperking. Dat is nog zo "
        "bij de laatste meting ({w}).",
        "After the training supervisors know more about working with a disability. That is "
        "still so at the last measurement ({w}).",
    ),
    "guide_knowledge_flat": (
        "Bij de laatste meting ({w}) weten leidinggevenden niet aantoonbaar meer dan vóór de "
        "training.",
        "At the last measurement ({w}) supervisors do not know detectably more than before the "
        "training.",
    ),
    "guide_efficacy_up": (
        "Ze voelen zich ook zekerder bij het begeleiden. Ook dat is zo bij {w}.",
        "They also feel more confident in guiding. That too is so at {w}.",
    ),
    "guide_efficacy_flat": (
        "Ze voelen zich bij {w} niet aantoonbaar zekerder bij het begeleiden dan vóór de training.",
        "At {w} they do not feel detectably more confident in guiding than before the training.",
    ),
    "guide_work_up": (
        "Hun medewerkers hebben vaker werk dan vergelijkbare medewerkers: {m} maanden na de "
        "start {x} meer op de 100.",
        "Their employees are in work more often than similar employees: {m} months after the "
        "start, {x} more in 100.",
    ),
    "guide_work_flat": (
        "We zien geen duidelijk verschil in werk tussen hun medewerkers en vergelijkbare "
        "medewerkers ({m} maanden na de start).",
        "We see no clear difference in work between their employees and similar employees ({m} "
        "months after the start).",
    ),
    "guide_cost": (
        "De training kost {c} per leidinggevende (alle partijen samen). Voor de overheid is de "
        "kans dat de baten de kosten overtreffen {p}.",
        "The training costs {c} per supervisor (all parties together). For the government the "
        "chance that the benefits exceed the costs is {p}.",
    ),
    "guide_when": ("Wat werkt, en wanneer?", "What works, and when?"),
    "guide_when_text": (
        "We keken of het effect op werk groter of kleiner was in groepen medewerkers, "
        "leidinggevenden en trainingen. Zulke vergelijkingen zijn verkennend: ze wijzen een "
        "richting aan, maar bewijzen niets.",
        "We looked whether the effect on work was larger or smaller in groups of employees, "
        "supervisors and trainings. Such comparisons are exploratory: they point a direction, "
        "but prove nothing.",
    ),
    "guide_when_larger": (
        "Het effect op werk was groter bij {a} ({ea}) dan bij {b} ({eb}).",
        "The effect on work was larger for {a} ({ea}) than for {b} ({eb}).",
    ),
    "more_in_100": ("{x} meer op de 100 met werk", "{x} more in 100 in work"),
    "fewer_in_100": ("{x} minder op de 100 met werk", "{x} fewer in 100 in work"),
    "guide_when_none": (
        "Geen duidelijk verschil naar: {names}.",
        "No clear difference by: {names}.",
    ),
    "guide_dose": (
        "{p} van de leidinggevenden kwam naar alle {m} bijeenkomsten.",
        "{p} of the supervisors came to all {m} meetings.",
    ),
    "guide_factors": ("Wat helpt en wat hindert?", "What helps and what hinders?"),
    "guide_factors_text": (
        "Leidinggevenden vulden een vragenlijst in over hun eigen organisatie, en "
        "leidinggevenden, trainers, medewerkers en coördinatoren vertelden erover in "
        "interviews. Hieronder staat wat het meest hindert en wat het meest helpt, het "
        "belangrijkste eerst.",
        "Supervisors filled in a questionnaire about their own organisation, and supervisors, "
        "trainers, employees and coordinators talked about it in interviews. Below is what "
        "hinders most and what helps most, the most important first.",
    ),
    "guide_hinders": ("Wat hindert", "What hinders"),
    "guide_helps": ("Wat helpt", "What helps"),
    "guide_tips": ("Tips voor uw werk", "Tips for your work"),
    "guide_tips_text": (
        "Deze tips volgen uit de uitkomsten hierboven. Bij elke tip staat waarom.",
        "These tips follow from the findings above. Each tip says why.",
    ),
    "tips_recruit": ("Werkgevers werven", "Recruiting employers"),
    "tips_groups": ("Groepen organiseren", "Running the groups"),
    "tips_follow": ("Leidinggevenden volgen", "Following up supervisors"),
    # tips: each has a rule in sections/guide.py
    "tip_endorsement": (
        "Vraag vooraf de directie om de begeleiding formeel te steunen, bijvoorbeeld in een "
        "korte afspraak op papier. Steun van de directie staat op plaats {r} van wat hindert.",
        "Ask management beforehand to endorse the guidance formally, for example in a short "
        "written agreement. Endorsement by management ranks {r} among what hinders.",
    ),
    "tip_time": (
        "Bespreek met de werkgever hoeveel tijd begeleiden kost: {p} van de leidinggevenden "
        "besteedt er na de training meer tijd aan, gemiddeld {h} uur per week.",
        "Discuss with the employer how much time guidance takes: {p} of the supervisors spend "
        "more time on it after the training, {h} hours a week on average.",
    ),
    "tip_mix": (
        "Zet leidinggevenden van verschillende bedrijven in één groep: zo leren ze van elkaars "
        "werkplek. Sociale steun staat op plaats {r} van wat helpt.",
        "Put supervisors of different companies in one group: they learn from each other's "
        "workplaces. Social support ranks {r} among what helps.",
    ),
    "tip_recruit_results": (
        "Vertel werkgevers wat de training oplevert, in hun eigen woorden: leidinggevenden "
        "weten meer en voelen zich zekerder. Gebruik de factsheet van uw regio.",
        "Tell employers what the training achieves, in their own words: supervisors know more "
        "and feel more confident. Use your region's factsheet.",
    ),
    "tip_attendance": (
        "Plan alle bijeenkomsten vooraf en stuur een herinnering: {p} kwam naar alle "
        "bijeenkomsten, en wie er één mist, mist een deel van de methode.",
        "Plan all meetings in advance and send a reminder: {p} came to every meeting, and "
        "whoever misses one misses part of the method.",
    ),
    "tip_duration": (
        "Let op de lengte van de bijeenkomsten: over de duur waren leidinggevenden het minst "
        "tevreden (gemiddeld {m} op 5).",
        "Watch the length of the meetings: supervisors were least satisfied with the duration "
        "(mean {m} out of 5).",
    ),
    "tip_fidelity": (
        "Houd per bijeenkomst bij welke onderdelen zijn gedaan: gemiddeld werd {p} van de "
        "onderdelen uitgevoerd, in de zwakste groep {lo}.",
        "Keep track per meeting of which parts were done: on average {p} of the parts were "
        "delivered, in the weakest group {lo}.",
    ),
    "tip_online": (
        "Online werkt ook: het effect van online groepen verschilde niet duidelijk van dat van "
        "groepen op locatie. Kies wat deelnemers het beste past.",
        "Online works too: the effect of online groups did not differ clearly from that of "
        "groups in person. Choose what suits the participants best.",
    ),
    "tip_in_person": (
        "Kies bij voorkeur groepen op locatie: bij online groepen was het effect op werk "
        "kleiner ({x} procentpunt verschil).",
        "Prefer groups in person: with online groups the effect on work was smaller ({x} "
        "percentage points difference).",
    ),
    "tip_feedback": (
        "Plan een terugkomgesprek met elke leidinggevende na de training. Terugkoppeling op de "
        "begeleiding staat op plaats {r} van wat hindert.",
        "Plan a follow-up talk with each supervisor after the training. Feedback on the "
        "guidance ranks {r} among what hinders.",
    ),
    "tip_refresh": (
        "Bied na enkele maanden een opfrisbijeenkomst aan: de winst in kennis was bij {w} "
        "kleiner dan direct na de training ({a} tegen {b} punt).",
        "Offer a refresher session after a few months: the gain in knowledge was smaller at "
        "{w} than right after the training ({a} against {b} points).",
    ),
    "tip_coach": (
        "Zorg dat leidinggevenden weten wie ze kunnen bellen: de coördinator of jobcoach van "
        "de gemeente staat op plaats {r} van wat helpt.",
        "Make sure supervisors know whom to call: the municipality's coordinator or job coach "
        "ranks {r} among what helps.",
    ),
    "tip_subgroup": (
        "Denk bij het werven aan {a}: bij hen was het effect op werk groter.",
        "When recruiting, think of {a}: for them the effect on work was larger.",
    ),
    "guide_sources": (
        "Gemaakt op {date} uit de evaluatie met vingerafdruk {fp}. De methode en alle tabellen "
        "staan in de eindrapportage.",
        "Made on {date} from the evaluation with fingerprint {fp}. The methods and all tables "
        "are in the final report.",
    ),
    # subgroups in plain words (modifier=value)
    "temporary_contract=True": (
        "medewerkers met een tijdelijk contract",
        "employees on a temporary contract",
    ),
    "temporary_contract=False": (
        "medewerkers met een vast contract",
        "employees on a permanent contract",
    ),
    "sheltered=True": ("medewerkers in beschut werk", "employees in sheltered work"),
    "sheltered=False": ("medewerkers in gewoon werk", "employees in regular work"),
    "employer_size=small": ("kleine werkgevers", "small employers"),
    "employer_size=medium": ("middelgrote werkgevers", "medium-sized employers"),
    "employer_size=large": ("grote werkgevers", "large employers"),
    "public_sector=True": ("werkgevers in de publieke sector", "public-sector employers"),
    "public_sector=False": ("werkgevers in de marktsector", "private-sector employers"),
    "caseload_under_10=True": (
        "leidinggevenden met minder dan 10 medewerkers om te begeleiden",
        "supervisors with fewer than 10 employees to guide",
    ),
    "caseload_under_10=False": (
        "leidinggevenden met 10 of meer medewerkers om te begeleiden",
        "supervisors with 10 or more employees to guide",
    ),
    "social_assistance_before=True": (
        "medewerkers die in het jaar ervoor bijstand of WW hadden",
        "employees on social assistance or unemployment benefit in the year before",
    ),
    "social_assistance_before=False": (
        "medewerkers zonder bijstand of WW in het jaar ervoor",
        "employees without social assistance or unemployment benefit in the year before",
    ),
    "disability_benefit_before=True": (
        "medewerkers met een ziekte- of arbeidsongeschiktheidsuitkering in het jaar ervoor",
        "employees on sickness or disability benefit in the year before",
    ),
    "disability_benefit_before=False": (
        "medewerkers zonder ziekte- of arbeidsongeschiktheidsuitkering in het jaar ervoor",
        "employees without sickness or disability benefit in the year before",
    ),
    "dose_full=True": (
        "leidinggevenden die alle bijeenkomsten bijwoonden",
        "supervisors who attended every meeting",
    ),
    "dose_full=False": (
        "leidinggevenden die een bijeenkomst misten",
        "supervisors who missed a meeting",
    ),
    "delivery_mode=in_person": ("groepen op locatie", "groups in person"),
    "delivery_mode=online": ("online groepen", "online groups"),
}

EASYREAD_LABELS: dict[str, tuple[str, str]] = {
    "er_title": ("Wat kwam er uit het onderzoek?", "What did the research find?"),
    "er_subtitle": (
        "Over de training Mentorwijs. In makkelijke taal.",
        "About the Mentorwijs training. In easy words.",
    ),
    "er_about": ("Over het onderzoek", "About the research"),
    "er_training": (
        "Leidinggevenden volgden de training Mentorwijs. Daar leerden ze hoe ze u goed kunnen "
        "helpen op uw werk.",
        "Supervisors took the Mentorwijs training. There they learned how to help you well at "
        "your work.",
    ),
    "er_people": (
        "{s} leidinggevenden deden mee. Samen helpen zij {e} medewerkers.",
        "{s} supervisors took part. Together they help {e} employees.",
    ),
    "er_learned": ("Wat leerden de leidinggevenden?", "What did the supervisors learn?"),
    "er_knowledge_up": (
        "Na de training wisten leidinggevenden meer over werken met een beperking.",
        "After the training supervisors knew more about working with a disability.",
    ),
    "er_knowledge_flat": (
        "Na de training wisten leidinggevenden niet duidelijk meer dan ervoor.",
        "After the training supervisors did not clearly know more than before.",
    ),
    "er_efficacy_up": (
        "Ze voelden zich ook zekerder. Ze durven u beter te helpen.",
        "They also felt more sure of themselves. They dare to help you better.",
    ),
    "er_efficacy_flat": (
        "Ze voelden zich niet duidelijk zekerder dan ervoor.",
        "They did not clearly feel more sure of themselves than before.",
    ),
    "er_work": ("Werk", "Work"),
    "er_work_up": (
        "Medewerkers van deze leidinggevenden hadden vaker werk dan andere medewerkers. Van "
        "elke 100 mensen hadden er {x} meer werk.",
        "Employees of these supervisors had work more often than other employees. Out of "
        "every 100 people, {x} more had work.",
    ),
    "er_work_flat": (
        "Hadden medewerkers daardoor vaker werk? Dat zagen we niet duidelijk.",
        "Did employees have work more often because of it? We did not see that clearly.",
    ),
    "er_months": (
        "We keken tot {m} maanden na de start van de training.",
        "We looked up to {m} months after the start of the training.",
    ),
    "er_opinion": ("Wat vonden de leidinggevenden?", "What did the supervisors think?"),
    "er_satisfied": (
        "{k} van de 10 leidinggevenden vonden de training goed.",
        "{k} out of 10 supervisors found the training good.",
    ),
    "er_helps": (
        "Dit helpt het meest: {f}.",
        "This helps most: {f}.",
    ),
    "er_hinders": (
        "Dit maakt het moeilijk: {f}.",
        "This makes it hard: {f}.",
    ),
    "er_end": ("Tot slot", "Finally"),
    "er_thanks": (
        "Dank u wel voor het meedoen aan het onderzoek.",
        "Thank you for taking part in the research.",
    ),
    "er_questions": (
        "Heeft u een vraag? Vraag het aan uw leidinggevende of aan de gemeente.",
        "Do you have a question? Ask your supervisor or the municipality.",
    ),
    # barriers and facilitators in easy words (otherwise the codebook's name is used)
    "er_barrier_midi-performance-feedback": (
        "niemand in het bedrijf vraagt hoe de begeleiding gaat",
        "nobody at the company asks how the guidance is going",
    ),
    "er_facilitator_midi-performance-feedback": (
        "het bedrijf vraagt hoe de begeleiding gaat",
        "the company asks how the guidance is going",
    ),
    "er_barrier_midi-formal-ratification": (
        "de baas steunt de begeleiding niet op papier",
        "the boss does not back the guidance on paper",
    ),
    "er_facilitator_midi-formal-ratification": (
        "de baas steunt de begeleiding",
        "the boss backs the guidance",
    ),
    "er_barrier_midi-time-available": (
        "leidinggevenden hebben te weinig tijd",
        "supervisors have too little time",
    ),
    "er_facilitator_midi-time-available": (
        "leidinggevenden hebben tijd voor u",
        "supervisors have time for you",
    ),
    "er_barrier_midi-coordinator": (
        "er is niemand bij de gemeente om te bellen",
        "there is nobody at the municipality to call",
    ),
    "er_facilitator_midi-coordinator": (
        "iemand van de gemeente komt snel helpen",
        "someone from the municipality comes to help quickly",
    ),
    "er_barrier_midi-self-efficacy": (
        "leidinggevenden weten niet goed wat ze moeten doen",
        "supervisors do not quite know what to do",
    ),
    "er_facilitator_midi-self-efficacy": (
        "leidinggevenden voelen zich zeker",
        "supervisors feel sure of themselves",
    ),
    "er_barrier_midi-material-resources": (
        "er zijn te weinig hulpmiddelen",
        "there are too few aids",
    ),
    "er_facilitator_midi-material-resources": ("er zijn goede hulpmiddelen", "there are good aids"),
    "er_barrier_midi-complexity": ("de methode is moeilijk", "the method is hard"),
    "er_facilitator_midi-complexity": (
        "de methode is makkelijk te gebruiken",
        "the method is easy to use",
    ),
    "er_barrier_midi-social-support": ("collega's helpen niet mee", "colleagues do not help"),
    "er_facilitator_midi-social-support": ("collega's helpen mee", "colleagues help"),
    "er_barrier_midi-knowledge": ("leidinggevenden weten te weinig", "supervisors know too little"),
    "er_facilitator_midi-knowledge": (
        "leidinggevenden weten wat een beperking betekent",
        "supervisors know what a disability means",
    ),
    "er_barrier_midi-compatibility": (
        "de training past niet bij het werk",
        "the training does not fit the work",
    ),
    "er_facilitator_midi-compatibility": (
        "de training past bij het echte werk",
        "the training fits the real work",
    ),
    # what the pictograms show (their text alternative)
    "pic_training": ("Een trainer bij een bord", "A trainer at a board"),
    "pic_group": ("Drie mensen samen", "Three people together"),
    "pic_knowledge": ("Een lamp", "A light bulb"),
    "pic_confidence": ("Een vinkje", "A tick"),
    "pic_work": ("Een werktas", "A work bag"),
    "pic_calendar": ("Een kalender", "A calendar"),
    "pic_smile": ("Een blij gezicht", "A happy face"),
    "pic_talk": ("Twee tekstballonnen", "Two speech bubbles"),
    "pic_thanks": ("Een hart", "A heart"),
    "pic_question": ("Een vraagteken", "A question mark"),
    "pic_hinder": ("Een waarschuwingsbord", "A warning sign"),
    "pic_supervisor": ("Een leidinggevende en een medewerker", "A supervisor and an employee"),
}
