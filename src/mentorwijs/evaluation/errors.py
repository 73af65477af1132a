"""Named errors of the evaluation layer. Each message says what to do."""


class EvaluationError(Exception):
    """Base class of the evaluation's errors."""


class NoRespondentsError(EvaluationError):
    """A step found nobody to analyse (e.g. no invitations for the role)."""


class UnknownInstrumentError(EvaluationError):
    """The instrument is not in the protocol, or has no scales."""


class TooFewItemsError(EvaluationError):
    """A scale has fewer than 2 items, so alpha and omega are undefined."""


class InvalidMinItemsError(EvaluationError):
    """``min_items`` is not between 1 and the number of items of a scale."""


class InvalidItemValueError(EvaluationError):
    """Answers outside an item's answer scale, or an item answered twice in one wave."""


class UnknownOutcomeError(EvaluationError):
    """``outcome`` is not one of :data:`OUTCOMES`."""


class MissingColumnsError(EvaluationError):
    """An input table lacks a column the step needs."""


class NoSpellsError(EvaluationError):
    """No person has a start month that the register panel covers."""


class CovariateError(EvaluationError):
    """A Cox covariate is missing, not numeric, or does not vary."""
