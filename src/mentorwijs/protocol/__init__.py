"""What the study measures: waves, answer scales, instruments, items and scales; and the
prices of the cost–benefit analysis.

Plain data shipped as YAML inside the package, validated by pydantic models. This layer
imports nothing else of Mentorwijs and nothing of Django.
"""

from mentorwijs.protocol.costs import (
    CostParameters,
    cost_parameters_yaml,
    load_cost_parameters,
    with_dated_value,
    with_norm,
)
from mentorwijs.protocol.models import (
    AnswerOption,
    AnswerScale,
    Instrument,
    Item,
    Protocol,
    Scale,
    Wave,
    load_protocol,
)

__all__ = [
    "AnswerOption",
    "AnswerScale",
    "CostParameters",
    "Instrument",
    "Item",
    "Protocol",
    "Scale",
    "Wave",
    "cost_parameters_yaml",
    "load_cost_parameters",
    "load_protocol",
    "with_dated_value",
    "with_norm",
]
