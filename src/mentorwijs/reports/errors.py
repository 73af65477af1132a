"""Named errors of the reports layer. Each message says what to do; ``message_nl`` in Dutch."""

from __future__ import annotations


class ReportError(Exception):
    """Base class of the reports' errors."""

    def __init__(self, english: str, dutch: str) -> None:
        super().__init__(english)
        self.message_nl = dutch


class UnknownFormatError(ReportError, ValueError):
    """A format other than html, pdf or docx was asked for."""


class UnknownProductError(ReportError, ValueError):
    """A product other than the final report or the factsheet was asked for."""


class UnknownRegionError(ReportError, ValueError):
    """The region is not one of the result's labour-market regions."""
