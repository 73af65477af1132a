"""Who a respondent is, read through the registry's identity models (never raw SQL).

Only the sender and the pages that passed an access check call these; what they return is
never logged or stored outside the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentorwijs.web.registry.models import EmployeeIdentity, SupervisorIdentity
from mentorwijs.web.study.models import Invitation


@dataclass(frozen=True)
class Contact:
    """A respondent's name and how to reach them."""

    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""


def contact_of(*, role: str, respondent_id: str) -> Contact:
    """The registry identity of a supervisor or employee; empty when there is none."""
    model = SupervisorIdentity if role == "supervisor" else EmployeeIdentity
    key = "supervisor_id" if role == "supervisor" else "employee_id"
    identity = model.objects.filter(**{key: respondent_id}).first()
    if identity is None:
        return Contact()
    return Contact(
        name=identity.name,
        email=identity.email,
        phone=identity.phone,
        postal_address=identity.postal_address,
    )


def contacts_of(*, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
    """Identities of many respondents at once, keyed by (role, pseudonym)."""
    out: dict[tuple[str, str], Contact] = {}
    for model, role, key in (
        (SupervisorIdentity, "supervisor", "supervisor_id"),
        (EmployeeIdentity, "employee", "employee_id"),
    ):
        ids = [pk for r, pk in keys if r == role]
        if not ids:
            continue
        for identity in model.objects.filter(**{f"{key}__in": ids}):
            out[(role, getattr(identity, key))] = Contact(
                identity.name, identity.email, identity.phone, identity.postal_address
            )
    return out


def invitation_contact(invitation: Invitation) -> Contact:
    """The identity of the person an invitation is for."""
    return contact_of(
        role=invitation.role,
        respondent_id=invitation.supervisor_id or invitation.employee_id or "",
    )
