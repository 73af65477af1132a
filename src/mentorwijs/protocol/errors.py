"""Named errors of the protocol layer: ``str(exc)`` in English, ``message_nl`` in Dutch."""

from __future__ import annotations


class ProtocolError(Exception):
    """Base class of the protocol layer's errors."""

    message_nl: str = ""


class InvalidParameterFileError(ProtocolError):
    """A cost–benefit parameter file cannot be read or does not validate."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"the parameter file {path} is not valid: {reason}. Start again from "
            "`mentorwijs params export --out FILE` and change only the values"
        )
        self.message_nl = (
            f"het parameterbestand {path} is niet geldig: {reason}. Begin opnieuw met "
            "`mentorwijs params export --out BESTAND` en verander alleen de waarden"
        )


class CodebookError(ProtocolError):
    """A codebook (the shipped YAML, an edit or a REFI-QDA .qdc file) is not valid.

    ``str(exc)`` says what is wrong in English, ``message_nl`` in Dutch; both name the
    code concerned where there is one.
    """

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl
