"""How supervisors and employees are addressed: their language and reading mode.

The two values sit on the person's identity row (``models.PreferenceFields``), beside the
contact details they go with, but they identify nobody: they are stored in clear, and
:func:`preferences_of` reads only these two columns, so it writes no identity-read entry to
the audit trail (the read log is for names and contact details). Changes go through the
registry's services and are audited like every identity change.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentorwijs.web.registry.models import EmployeeIdentity, SupervisorIdentity
from mentorwijs.web.registry.reads import unlogged

#: The languages of invitations, letters and questionnaire pages.
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Preferences:
    """A respondent's language (``nl`` or ``en``) and whether they read in easy-read mode.

    The default, for someone without a recorded preference, is Dutch in standard mode.
    """

    language: str = "nl"
    easy_read: bool = False

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.language!r}")

    def as_fields(self) -> dict[str, object]:
        """The model fields to store."""
        return {"language": self.language, "easy_read": bool(self.easy_read)}


DEFAULT = Preferences()


def preferences_of(*, role: str, respondent_id: str) -> Preferences:
    """The recorded preferences of a supervisor or employee (``DEFAULT`` when none).

    Parameters
    ----------
    role
        ``"supervisor"`` or ``"employee"``.
    respondent_id
        The person's pseudonym.

    Returns
    -------
    Preferences
        What the registry holds; Dutch and standard for a person without an identity row.
    """
    model = SupervisorIdentity if role == "supervisor" else EmployeeIdentity
    key = "supervisor_id" if role == "supervisor" else "employee_id"
    with unlogged():  # two non-identifying columns only: not a read of the identity
        row = (
            model.objects.filter(**{key: respondent_id})
            .values_list("language", "easy_read")
            .first()
        )
    return DEFAULT if row is None else Preferences(*row)
