"""The sections of the products: each builder reads an ``EvaluationResult`` and returns the
sections it can fill (none when the result lacks its tables).

The final report lists its builders in :data:`REPORT_SECTIONS`, in reading order; the
factsheet in :data:`FACTSHEET_SECTIONS` (its builders also take the region, or None); the
practice guide in :data:`GUIDE_SECTIONS` and the employees' easy-read version in
:data:`EASYREAD_SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Section
from mentorwijs.reports.sections import (
    appendix,
    costbenefit,
    easyread,
    employment,
    factsheet,
    guide,
    limitations,
    participation,
    process,
    supervisors,
)

SectionBuilder = Callable[[EvaluationResult, str], list[Section]]
FactsheetBuilder = Callable[[EvaluationResult, str, str | None], list[Section]]

REPORT_SECTIONS: list[SectionBuilder] = [
    participation.summary,
    participation.participation,
    participation.response_by_group,
    participation.attendance,
    supervisors.scales,
    supervisors.change,
    employment.employment,
    process.process,
    process.interviews,
    costbenefit.costbenefit,
    limitations.limitations,
    appendix.methods,
    appendix.reproducibility,
]

FACTSHEET_SECTIONS: list[FactsheetBuilder] = [
    factsheet.key_figures,
    factsheet.who,
    factsheet.learn,
    factsheet.work,
    factsheet.money,
    factsheet.about,
]

GUIDE_SECTIONS: list[SectionBuilder] = [
    guide.about,
    guide.results,
    guide.when,
    guide.helps_and_hinders,
    guide.tips,
    guide.sources,
]

EASYREAD_SECTIONS: list[SectionBuilder] = [
    easyread.about,
    easyread.learned,
    easyread.work,
    easyread.opinion,
    easyread.end,
]
