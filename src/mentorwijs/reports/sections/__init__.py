"""The sections of the products: each builder reads an ``EvaluationResult`` and returns the
sections it can fill (none when the result lacks its tables).

The final report lists its builders in :data:`REPORT_SECTIONS`, in reading order.
"""

from __future__ import annotations

from collections.abc import Callable

from mentorwijs.evaluation.result import EvaluationResult
from mentorwijs.reports.document import Section
from mentorwijs.reports.sections import (
    appendix,
    costbenefit,
    employment,
    participation,
    supervisors,
)

SectionBuilder = Callable[[EvaluationResult, str], list[Section]]

REPORT_SECTIONS: list[SectionBuilder] = [
    participation.summary,
    participation.participation,
    participation.response_by_group,
    participation.attendance,
    supervisors.scales,
    supervisors.change,
    employment.employment,
    costbenefit.costbenefit,
    appendix.methods,
    appendix.reproducibility,
]
