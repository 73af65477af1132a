"""The demo's questionnaires: a group about to start, whose T0 invitations are ready.

``mentorwijs demo`` loads a simulated study that ended years ago, so nobody in it is due a
questionnaire. To let a newcomer answer one as a respondent would, the demo registers a few
fictitious people in the demo region through the registry's services (names, addresses in
the reserved ``.example`` domain, and each person's language and reading mode: Dutch and
English, standard and easy-read), enrols the supervisors in a new group whose first meeting
is a week away (so T0 is due today), and makes their T0 invitations with the same service
``mentorwijs send-invitations`` uses. Nothing is sent: the deliveries wait in the delivery
log, and the demo prints a link to open once ``mentorwijs serve`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from mentorwijs.web.invitations.mail import respondent_url
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.schedule import respondents_due
from mentorwijs.web.invitations.services import invitation_create
from mentorwijs.web.registry import services
from mentorwijs.web.registry.preferences import Preferences
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.links import token_for
from mentorwijs.web.survey.models import Consent, Link

#: The fictitious supervisors: name, e-mail address, language, easy-read.
SUPERVISORS = (
    ("Sanne de Wit", "sanne.dewit@bakkerij.example", "nl", False),
    ("Mark Peters", "mark.peters@logistiek.example", "en", False),
)
#: Their employees (one each): name, postal address, language, easy-read. Without an e-mail
#: address they get a printed letter.
EMPLOYEES = (
    ("Eva Jansen", "Kerkstraat 4\n4001 AB Tiel", "nl", True),
    ("Sam Okafor", "Stationsweg 9\n4001 CD Tiel", "en", True),
)


@dataclass(frozen=True)
class DemoInvitation:
    """One prepared T0 invitation: who, how they are addressed, and their personal link."""

    role: str
    respondent_id: str
    name: str
    language: str
    easy_read: bool
    channel: str
    url: str


def demo_region() -> m.Region | None:
    """The demo region: the one with the most training groups (as the demo's logins use)."""
    return (
        m.Region.objects.annotate(groups=Count("traininggroup"))
        .filter(groups__gt=0)
        .order_by("-groups", "region_id")
        .first()
    )


def demo_questionnaires_clear() -> int:
    """Remove the questionnaire links, deliveries and consent decisions of an earlier demo.

    Reloading the demo's package replaces every study row, but links and consent decisions
    live beside them; only call this on a demo database. Returns how many links went.
    """
    with transaction.atomic():
        Delivery.objects.all().delete()
        links, _ = Link.objects.all().delete()
        Consent.objects.all().delete()
    return int(links)


@transaction.atomic
def demo_invitations_create(*, now: datetime | None = None) -> list[DemoInvitation]:
    """Register the demo's upcoming group and make its T0 invitations with their links.

    Parameters
    ----------
    now
        The moment of the invitations (now when None); the group's first meeting is seven
        days after its date, so T0 is due that day.

    Returns
    -------
    list of DemoInvitation
        Supervisors first, in the order of ``SUPERVISORS`` and ``EMPLOYEES``; empty when no
        region has a training group to borrow a provider and trainers from.
    """
    now = now or timezone.now()
    region = demo_region()
    if region is None:
        return []
    model = m.TrainingGroup.objects.filter(region=region).order_by("start_date", "pk").first()
    employer = m.Organisation.objects.filter(region=region, kind="employer").order_by("pk").first()
    if model is None or employer is None:
        return []
    first = timezone.localtime(now).date() + timedelta(days=7)
    group = services.training_group_create(
        region=region,
        provider=model.provider,
        trainer_1=model.trainer_1,
        trainer_2=model.trainer_2,
        mode="in_person",
        capacity=12,
        meetings=[
            services.MeetingPlan(first + timedelta(weeks=week), place="Werkplein (demo)")
            for week in range(services.MEETINGS_PER_GROUP)
        ],
    )
    people: dict[str, tuple[str, Preferences]] = {}
    supervisors = []
    for name, email, language, easy in SUPERVISORS:
        preferences = Preferences(language=language, easy_read=easy)
        supervisor = services.supervisor_create(
            organisation=employer,
            identity=services.IdentityData(name, email),
            preferences=preferences,
        )
        supervisors.append(supervisor)
        people[supervisor.pk] = (name, preferences)
    services.training_group_enrol(training_group=group, supervisors=supervisors)
    for supervisor, (name, address, language, easy) in zip(supervisors, EMPLOYEES, strict=True):
        preferences = Preferences(language=language, easy_read=easy)
        employee = services.employee_create(
            supervisor=supervisor,
            identity=services.IdentityData(name, postal_address=address),
            preferences=preferences,
            consent_questionnaire=True,
            consent_register=False,
        )
        people[employee.pk] = (name, preferences)
    out = []
    for due in respondents_due(now=now):
        if due.respondent_id not in people or due.wave != "T0":
            continue
        delivery = invitation_create(due=due, now=now)
        if delivery is None:
            continue
        link = delivery.link
        name, _preferences = people[due.respondent_id]
        out.append(
            DemoInvitation(
                role=due.role,
                respondent_id=due.respondent_id,
                name=name,
                language=link.language,
                easy_read=link.easy_read,
                channel=delivery.channel,
                url=respondent_url(token_for(link)),
            )
        )
    order = list(people)
    return sorted(out, key=lambda d: order.index(d.respondent_id))
