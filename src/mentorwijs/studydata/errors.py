"""Named errors of the study data package layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a study data package.

    Attributes
    ----------
    table
        Table (resource) name, or ``"datapackage.json"`` for the descriptor.
    row
        1-based data row (the header is not counted; line in a CSV file = row + 1), or
        ``None`` when the problem concerns the table or a whole column.
    column
        Column name, or ``None``.
    code
        Stable machine-readable kind, e.g. ``missing_table``, ``wrong_type``, ``duplicate_key``.
    message_nl, message_en
        The plain-language reason in Dutch and English.
    """

    table: str
    row: int | None
    column: str | None
    code: str
    message_nl: str
    message_en: str

    def message(self, lang: str = "nl") -> str:
        """The reason in ``lang`` ("nl" or "en")."""
        return self.message_en if lang == "en" else self.message_nl

    def where(self, lang: str = "nl") -> str:
        """Where the problem is, e.g. ``supervisors, rij 4, kolom age``."""
        parts = [self.table]
        if self.row is not None:
            parts.append(f"{'row' if lang == 'en' else 'rij'} {self.row}")
        if self.column is not None:
            parts.append(f"{'column' if lang == 'en' else 'kolom'} {self.column}")
        return ", ".join(parts)


class StudyDataError(Exception):
    """Base class of this layer's errors."""


class InvalidStudyPackageError(StudyDataError):
    """The package breaks its schema; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0] if problems else None
        summary = f"{len(problems)} problem(s)"
        if first is not None:
            summary += f"; first: {first.where('en')}: {first.message_en}"
        super().__init__(summary)


class AnswersExportError(StudyDataError):
    """An export of the answers cannot be made: ``str(exc)`` in English, ``message_nl`` in Dutch."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl


class UnknownExportFormatError(AnswersExportError):
    """The export format or label language is not one the exporter writes."""

    def __init__(self, what: str, given: str, allowed: tuple[str, ...]) -> None:
        choices = ", ".join(allowed)
        names = {
            "format": ("unknown format", "onbekend formaat"),
            "lang": ("unknown label language", "onbekende taal voor de labels"),
        }
        en, nl = names[what]
        super().__init__(
            f"{en} {given!r}: choose one of {choices}", f"{nl} {given!r}: kies uit {choices}"
        )


class NoAnswersError(AnswersExportError):
    """There is nothing to export: no answers (left) in the package."""

    def __init__(self) -> None:
        super().__init__(
            "the study data holds no answers to export (the responses table is empty, or "
            "every respondent in it was excluded): collect answers first, or point to another "
            "package with --package",
            "de studiegegevens bevatten geen antwoorden om te exporteren (de tabel responses "
            "is leeg, of elke respondent erin is uitgesloten): verzamel eerst antwoorden, of "
            "wijs een ander pakket aan met --package",
        )


class UnexportableAnswerError(AnswersExportError):
    """An answer does not fit the protocol: an unknown item, choice or date."""

    def __init__(self, where: str, en: str, nl: str) -> None:
        super().__init__(
            f"{where}: {en}; fix the answer or the protocol (run `mentorwijs validate`)",
            f"{where}: {nl}; herstel het antwoord of het protocol (draai `mentorwijs validate`)",
        )
