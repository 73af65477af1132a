"""Named errors of the web layer (no Django imports here, so the CLI can catch them)."""


class WebError(Exception):
    """Base class of the web layer's errors: ``str(exc)`` in English, ``message_nl`` in Dutch."""

    message_nl: str = ""


class StudyDataPresentError(WebError):
    """The database already holds study data and ``replace`` was not asked for."""

    message_nl = (
        "de database bevat al studiegegevens; gebruik --replace om ze te vervangen "
        "(dat verwijdert de studiegegevens die nu in de database staan)"
    )

    def __init__(self) -> None:
        super().__init__(
            "the database already holds study data; use --replace to replace it "
            "(this deletes the study data now in the database)"
        )
