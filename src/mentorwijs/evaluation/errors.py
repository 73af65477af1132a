"""Named errors of the evaluation layer. Each message says what to do."""


class EvaluationError(Exception):
    """Base class of the evaluation's errors."""


class NoRespondentsError(EvaluationError):
    """A step found nobody to analyse (e.g. no invitations for the role)."""
