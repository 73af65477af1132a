"""Named errors of the interviews: ``str(exc)`` in English, ``message_nl`` in Dutch."""

from __future__ import annotations

from mentorwijs.web.errors import WebError


class InterviewError(WebError):
    """An interview, transcript, coding or codebook change cannot be done as asked."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.message_nl = nl


class TranscriptFileError(InterviewError):
    """An uploaded transcript cannot be read (wrong type, too big, broken, empty)."""


class NoInterviewConsentError(InterviewError):
    """The person has not consented to the interview (or has withdrawn)."""

    def __init__(self, role: str, respondent_id: str) -> None:
        super().__init__(
            f"there is no consent to an interview from {role} {respondent_id}: ask for it first, "
            "or record the consent given on paper or spoken",
            f"er is geen toestemming voor een interview van {respondent_id} ({role}): vraag die "
            "eerst, of leg de toestemming vast die op papier of mondeling is gegeven",
        )


class UnknownRespondentError(InterviewError):
    """The pseudonym is not one of the study's people of that role."""

    def __init__(self, role: str, respondent_id: str) -> None:
        super().__init__(
            f"there is no {role} with pseudonym {respondent_id} in the study",
            f"er is geen {role} met pseudoniem {respondent_id} in de studie",
        )


class SentenceRangeError(InterviewError):
    """A coding names sentences the transcript does not have, or runs backwards."""

    def __init__(self, first: int, last: int, count: int) -> None:
        super().__init__(
            f"sentences {first} to {last} do not exist: the transcript has sentences 1 to "
            f"{count}, and the first may not come after the last",
            f"zinnen {first} tot en met {last} bestaan niet: het transcript heeft zinnen 1 tot "
            f"en met {count}, en de eerste mag niet na de laatste komen",
        )


class CodeNotCodableError(InterviewError):
    """A group code (not codable) or no code at all was chosen for a passage."""

    def __init__(self, names: str = "") -> None:
        if names:
            super().__init__(
                f"{names} is a group of codes: choose a code within it",
                f"{names} is een groep codes: kies een code daarbinnen",
            )
        else:
            super().__init__("choose at least one code", "kies ten minste één code")


class CodeInUseError(InterviewError):
    """A code that has been applied to text, or that has child codes, cannot be deleted."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"code {key} is applied to text or has codes under it, so it cannot be deleted",
            f"code {key} is aan tekst toegekend of heeft codes eronder, dus kan niet weg",
        )


class NoTranscriptError(InterviewError):
    """The interview came from a study data package: only its coded passages are here."""

    def __init__(self, interview_id: str) -> None:
        super().__init__(
            f"interview {interview_id} was loaded from a study data package without its "
            "transcript: its passages can be read, not coded again",
            f"interview {interview_id} is uit een studiedatapakket geladen zonder transcript: "
            "de fragmenten zijn te lezen, niet opnieuw te coderen",
        )
