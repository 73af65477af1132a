"""Named errors of the evaluation layer. Each message says what to do."""


class EvaluationError(Exception):
    """Base class of the evaluation's errors."""


class UnknownSettingError(EvaluationError):
    """``evaluate_package`` got a setting it does not know."""


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


class InvalidHorizonError(EvaluationError):
    """The cost–benefit horizon is not a whole number of months of at least 1."""


class UnknownParameterError(EvaluationError):
    """A cost–benefit parameter name is not in the parameter file."""


class InvalidCostParametersError(EvaluationError):
    """The parameter file lacks a parameter the model needs, or a value does not fit it."""


class InvalidEffectProfileError(EvaluationError):
    """The employment effect profile has duplicate, negative or non-finite entries."""


class InvalidCostBenefitOptionError(EvaluationError):
    """An option of the cost–benefit analysis is out of range (extrapolation, draws, …)."""


class NoEmployeesReachedError(EvaluationError):
    """No employee of a trained supervisor, so costs per employee are undefined."""


class ScoresFormatError(EvaluationError):
    """The scores table lacks a column or holds a supervisor's scale twice in one wave."""


class NoBaselineError(EvaluationError):
    """A scale has no scores at the baseline wave, so no change can be measured."""


class TooFewSupervisorsError(EvaluationError):
    """Too few supervisors to fit the model or to compare groups."""


class MissingTrainingGroupError(EvaluationError):
    """``group_effect=True`` but supervisors lack a training group."""


class ImputationError(EvaluationError):
    """Imputation or pooling cannot proceed with the data or settings given."""


class InvalidMonthError(EvaluationError):
    """A month is missing or not written ``YYYY-MM``."""


class InvalidPanelError(EvaluationError):
    """The register panel breaks its keys: duplicate rows, unknown persons or benefit codes."""


class NoPrePeriodError(EvaluationError):
    """No register months before the start: nothing to derive matching covariates from,
    to test pre-trends on, or to shift a placebo start into."""


class PropensityModelError(EvaluationError):
    """The propensity model cannot be fitted (missing values, constant column, separation)."""


class InvalidMatchingInputError(EvaluationError):
    """Arguments or covariates that matching cannot use."""


class NoCommonSupportError(EvaluationError):
    """No treated person is left to match after common support, strata and caliper."""


class InvalidMatchedSetsError(EvaluationError):
    """The matched-sets table breaks its rules (columns, weights, one start per set)."""


class InvalidOutcomesError(EvaluationError):
    """The outcome panel lacks a column or has a person-month twice."""


class InvalidWindowError(EvaluationError):
    """The event window or reference month is not usable."""


class EmptyWindowError(EvaluationError):
    """No matched set has complete outcome data in the event window."""


class DemeaningError(EvaluationError):
    """Absorbing the fixed effects did not converge."""


class NoProcessDataError(EvaluationError):
    """The package lacks the registry data or answers a process measure needs."""


class InvalidProcessSettingError(EvaluationError):
    """A setting of the process evaluation is out of range (e.g. a barrier cut-off)."""


class InvalidSegmentsError(EvaluationError):
    """Interview segments lack a column, or a segment ends before it starts."""


class NoDoubleCodingError(EvaluationError):
    """No interview was coded by two coders, so agreement cannot be computed."""


class InvalidAgreementTableError(EvaluationError):
    """An agreement table is not square, has negative counts or holds no units."""
