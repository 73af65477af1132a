"""Named errors of the protocol layer: ``str(exc)`` in English, ``message_nl`` in Dutch."""

from __future__ import annotations


class ProtocolError(Exception):
    """Base class of the protocol layer's errors."""

    message_nl: str = ""

    @property
    def message(self) -> str:
        """The English message (the same as ``str(exc)``)."""
        return str(self)


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


class InvalidConditionError(ProtocolError, ValueError):
    """A ``show_if`` condition is not in the condition language (a ValueError too, so that
    pydantic reports it as a validation error of the item)."""

    def __init__(self, expr: str, reason: str, reason_nl: str) -> None:
        super().__init__(
            f"the condition {expr!r} cannot be read: {reason}. Write `code op value` with op "
            'one of = != < <= > >=, joined by and/or/not, e.g. "extra_time = 1"'
        )
        self.expr = expr
        self.reason = reason
        self.reason_nl = reason_nl
        self.message_nl = (
            f"de voorwaarde {expr!r} is niet te lezen: {reason_nl}. Schrijf `code op waarde` "
            "met op een van = != < <= > >=, verbonden met and/or/not, bijvoorbeeld "
            '"extra_time = 1"'
        )


class InvalidProtocolError(ProtocolError):
    """A protocol file cannot be read or does not validate."""

    def __init__(self, source: str, reason: str, reason_nl: str) -> None:
        super().__init__(
            f"the protocol {source} is not valid: {reason}. See docs/protocol.md for the format"
        )
        self.message_nl = (
            f"het protocol {source} is niet geldig: {reason_nl}. Zie docs/protocol.md voor "
            "het formaat"
        )


class InvalidInstrumentFileError(ProtocolError):
    """An instrument file (REDCap data dictionary, XLSForm) cannot be read at all."""

    def __init__(self, path: str, reason: str, reason_nl: str) -> None:
        super().__init__(f"{path} cannot be imported: {reason}")
        self.path = path
        self.reason = reason
        self.message_nl = f"{path} kan niet worden ingelezen: {reason_nl}"
