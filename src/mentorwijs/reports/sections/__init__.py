"""The sections of the products: each builder reads an ``EvaluationResult`` and returns the
sections it can fill (none when the result lacks its tables).

The final report lists its builders in :data:`REPORT_SECTIONS`, in reading order; the
factsheet in :data:`FACTSHEET_SECTIONS` (its builders also take the region, or None).
"""

from __future__ import annotations

from collections.abc import Callable

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Section
from mentorwijs.reports.sections import (
    appendix,
    costbenefit,
    employment,
    factsheet,
    limitations,
    participation,
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
