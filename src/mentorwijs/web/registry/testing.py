"""A small registry with named users, for tests (like healthchecks' ``hc/test.py``).

Two regions; in the own one (R10) a group with two trainers, an employer with two
supervisors (one enrolled), an employee with a placement and a municipality; in the other
one (R11) the same on a smaller scale. Every person has an identity whose values the tests
look for in places they must never appear (another region's pages, the package export).
The employees Eva and Dirk read in easy-read mode; everyone's language is Dutch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.services import PLANNED_PARTS, role_grant
from mentorwijs.web.study import models as m

ANNA = {
    "name": "Anna de Vries",
    "email": "anna.devries@korenaar.example",
    "phone": "06-11122233",
    "postal_address": "Molenstraat 1, 4001 AA Tiel",
}
EVA = {
    "name": "Eva Bakker",
    "email": "eva.bakker@mail.example",
    "phone": "06-44455566",
    "postal_address": "Kerkplein 7, 4001 BB Tiel",
}
#: Values of the own region that a user of another region must never see.
OWN_SECRETS = ("G-RIV-1", "S-ANNA", "Anna de Vries", "anna.devries@korenaar.example",
               "Bakkerij De Korenaar", "E-EVA", "Eva Bakker", "eva.bakker@mail.example",
               "GM0281")  # fmt: skip
#: Identity values a researcher without a grant must never see.
IDENTITY_SECRETS = ("Anna de Vries", "anna.devries@korenaar.example", "06-11122233",
                    "Bakkerij De Korenaar", "Eva Bakker", "eva.bakker@mail.example",
                    "06-44455566", "Kerkplein 7", "Molenstraat 1")  # fmt: skip
USERS = (
    "coordinator_own",
    "coordinator_other",
    "trainer_own",
    "trainer_other",
    "researcher",
    "employer_own",
    "employer_other",
    "nobody",
)


@dataclass
class World:
    users: dict[str, Any]
    own_group: m.TrainingGroup
    other_group: m.TrainingGroup
    anna: m.Supervisor
    bram: m.Supervisor
    carla: m.Supervisor
    own_employer: m.Organisation
    other_employer: m.Organisation
    batch: r.ImportBatch
    eva: m.Employee
    placement: r.Placement
    other_placement: r.Placement


def _group(pk: str, region: m.Region, provider: m.Organisation, t1: Any, t2: Any, start: date):
    group = m.TrainingGroup.objects.create(
        training_group_id=pk, region=region, provider=provider, trainer_1=t1, trainer_2=t2,
        mode="in_person", capacity=12, start_date=start,
    )  # fmt: skip
    for no in range(1, 6):
        m.Meeting.objects.create(
            training_group=group, meeting_no=no, date=start + timedelta(weeks=no - 1),
            mode="in_person", held=False, planned_parts=PLANNED_PARTS, place="Buurthuis De Linde",
        )  # fmt: skip
    return group


def world_build(*, start: date | None = None, password: str | None = None) -> World:
    """Create the small registry and its users (``password`` None: unusable, fast)."""
    start = start or date.today() + timedelta(days=3)
    r10 = m.Region.objects.create(region_id="R10", name="Rivierenland")
    r11 = m.Region.objects.create(region_id="R11", name="FoodValley")
    provider = m.Organisation.objects.create(organisation_id="P-1", kind="provider", region=r10)
    r.OrganisationIdentity.objects.create(organisation=provider, name="Trainingsbureau Wijs")
    trainers = {}
    for pk, name in (("TR-1", "Tess Trainer"), ("TR-2", "Tom Trainer"), ("TR-3", "Tara Anders")):
        trainers[pk] = m.Trainer.objects.create(trainer_id=pk, provider=provider)
        r.TrainerIdentity.objects.create(trainer=trainers[pk], name=name)
    own_employer = m.Organisation.objects.create(
        organisation_id="O-KORENAAR", kind="employer", region=r10, sector="retail",
        size_class="small", sheltered=False,
    )  # fmt: skip
    r.OrganisationIdentity.objects.create(organisation=own_employer, name="Bakkerij De Korenaar")
    other_employer = m.Organisation.objects.create(
        organisation_id="O-VALLEI", kind="employer", region=r11, sector="care", size_class="large"
    )
    r.OrganisationIdentity.objects.create(organisation=other_employer, name="Zorggroep Vallei")
    own_group = _group("G-RIV-1", r10, provider, trainers["TR-1"], trainers["TR-2"], start)
    other_group = _group("G-FV-1", r11, provider, trainers["TR-3"], None, start)
    anna = m.Supervisor.objects.create(
        supervisor_id="S-ANNA", organisation=own_employer, training_group=own_group, sex="f",
        age=44, years_experience=12, employees_guided=2,
    )  # fmt: skip
    r.SupervisorIdentity.objects.create(supervisor=anna, **ANNA)
    bram = m.Supervisor.objects.create(supervisor_id="S-BRAM", organisation=own_employer)
    r.SupervisorIdentity.objects.create(supervisor=bram, name="Bram Jansen")
    carla = m.Supervisor.objects.create(
        supervisor_id="S-CARLA", organisation=other_employer, training_group=other_group
    )
    r.SupervisorIdentity.objects.create(supervisor=carla, name="Carla Smit")
    eva = m.Employee.objects.create(
        employee_id="E-EVA", supervisor=anna, consent_questionnaire=True, consent_register=True
    )
    r.EmployeeIdentity.objects.create(employee=eva, **EVA, easy_read=True)
    dirk = m.Employee.objects.create(
        employee_id="E-DIRK", supervisor=carla, consent_questionnaire=True, consent_register=False
    )
    r.EmployeeIdentity.objects.create(employee=dirk, name="Dirk Visser", easy_read=True)
    placement = r.Placement.objects.create(
        employee=eva, organisation=own_employer, supervisor=anna, start_date=date(2026, 3, 1),
        hours_per_week=24, contract="temporary", wage_subsidy=True, job_coach=True,
    )  # fmt: skip
    other_placement = r.Placement.objects.create(
        employee=dirk, organisation=other_employer, supervisor=carla,
        start_date=date(2026, 5, 1), hours_per_week=16, contract="trial",
    )  # fmt: skip
    r.Municipality.objects.create(code="GM0281", name="Tiel", region=r10)
    r.Municipality.objects.create(code="GM0228", name="Ede", region=r11)
    m.Attendance.objects.create(
        meeting=own_group.meetings.get(meeting_no=1), supervisor=anna, present=True
    )
    m.Cost.objects.create(
        cost_id="C-RIV-1", training_group=own_group, region=r10, item="venue hire",
        category="venue", payer="municipality", quantity=5, unit="meeting", unit_cost=80,
    )  # fmt: skip

    users = {}
    for name in USERS:
        user = get_user_model()(username=name)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        users[name] = user
    role_grant(user=users["coordinator_own"], role=Role.COORDINATOR, region=r10)
    role_grant(user=users["coordinator_other"], role=Role.COORDINATOR, region=r11)
    role_grant(user=users["trainer_own"], role=Role.TRAINER, trainer=trainers["TR-1"])
    role_grant(user=users["trainer_other"], role=Role.TRAINER, trainer=trainers["TR-3"])
    role_grant(user=users["researcher"], role=Role.RESEARCHER)
    role_grant(user=users["employer_own"], role=Role.EMPLOYER_CONTACT, organisation=own_employer)
    role_grant(
        user=users["employer_other"], role=Role.EMPLOYER_CONTACT, organisation=other_employer
    )
    batch = r.ImportBatch.objects.create(
        created_by=users["coordinator_own"], region=r10, kind="supervisors",
        filename="leidinggevenden.csv", header=["naam", "werkgever"],
        rows=[["Dirk de Boer", "O-KORENAAR"]],
    )  # fmt: skip
    return World(
        users=users, own_group=own_group, other_group=other_group, anna=anna, bram=bram,
        carla=carla, own_employer=own_employer, other_employer=other_employer, batch=batch,
        eva=eva, placement=placement, other_placement=other_placement,
    )  # fmt: skip
