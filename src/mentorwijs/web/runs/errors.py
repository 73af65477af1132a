"""Named errors of the evaluation runs: ``str(exc)`` in English, ``message_nl`` in Dutch."""

from __future__ import annotations

from mentorwijs.web.errors import WebError


class RunError(WebError):
    """A run cannot do what was asked; the message says what to do instead."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl


class NoStudyDataError(RunError):
    """The database holds no study data to evaluate."""

    def __init__(self) -> None:
        super().__init__(
            "the database holds no study data: load a study data package first "
            "(mentorwijs load DIR)",
            "de database bevat geen studiegegevens: laad eerst een studiedatapakket "
            "(mentorwijs load MAP)",
        )


class RunNotDoneError(RunError):
    """A result was asked of a run that has none (queued, running or failed)."""

    def __init__(self, run_id: int) -> None:
        super().__init__(
            f"run {run_id} has no result yet: wait until it is done",
            f"run {run_id} heeft nog geen uitkomst: wacht tot hij klaar is",
        )


class RunBusyError(RunError):
    """Another run is being computed on this machine right now."""

    def __init__(self) -> None:
        super().__init__(
            "another evaluation run is being computed right now: queue this one instead",
            "er wordt nu al een andere evaluatie berekend: zet deze in de wachtrij",
        )


class DirectRunNotAllowedError(RunError):
    """A direct run was asked for a study that is not a small demo study."""

    def __init__(self) -> None:
        super().__init__(
            "a run can be started directly only on a small demo study: queue the run instead",
            "alleen op een kleine demostudie kan een run direct starten: zet de run in de wachtrij",
        )


class NoEmployeesInRegionError(RunError):
    """The region has no employee of a trained supervisor, so there is nothing to value."""

    def __init__(self, region_id: str) -> None:
        where_en = f"region {region_id}" if region_id else "the study"
        where_nl = f"regio {region_id}" if region_id else "de studie"
        super().__init__(
            f"{where_en} has no employee of a trained supervisor: the cost-benefit analysis "
            "needs the employees the trained supervisors guide",
            f"{where_nl} heeft geen medewerker van een getrainde leidinggevende: de "
            "kosten-batenanalyse heeft de medewerkers van getrainde leidinggevenden nodig",
        )
