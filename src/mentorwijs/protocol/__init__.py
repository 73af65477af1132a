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
    ConsentText,
    Instrument,
    InvitationPolicy,
    Item,
    Protocol,
    Scale,
    Text,
    Wave,
    load_protocol,
    protocol_from_yaml,
    protocol_to_yaml,
)

__all__ = [
    "AnswerOption",
    "AnswerScale",
    "ConsentText",
    "CostParameters",
    "Instrument",
    "InvitationPolicy",
    "Item",
    "Protocol",
    "Scale",
    "Text",
    "Wave",
    "cost_parameters_yaml",
    "load_cost_parameters",
    "load_protocol",
    "protocol_from_yaml",
    "protocol_to_yaml",
    "with_dated_value",
    "with_norm",
]
