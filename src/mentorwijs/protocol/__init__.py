"""What the study measures: waves, answer scales, instruments, items and scales.

Plain data shipped as YAML inside the package, validated by pydantic models. This layer
imports nothing else of Mentorwijs and nothing of Django.
"""

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
    "Instrument",
    "Item",
    "Protocol",
    "Scale",
    "Wave",
    "load_protocol",
]
