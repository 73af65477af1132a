"""Which model holds which table of the study data package, in load order."""

from __future__ import annotations

from django.db import models

from mentorwijs.web.interviews import models as i
from mentorwijs.web.invitations import models as d
from mentorwijs.web.registry import models as r
from mentorwijs.web.study import models as m
from mentorwijs.web.survey import models as s

#: Tables whose package columns are the model's attribute names (foreign keys by ``*_id``).
DIRECT: dict[str, type[models.Model]] = {
    "regions": m.Region,
    "organisations": m.Organisation,
    "trainers": m.Trainer,
    "training_groups": m.TrainingGroup,
    "meetings": m.Meeting,
    "supervisors": m.Supervisor,
    "register_persons": m.RegisterPerson,
    "employees": m.Employee,
    "register_months": m.RegisterMonth,
    "costs": m.Cost,
}
#: ``interview_segments`` is built from and loaded into the interviews app
#: (:mod:`mentorwijs.web.interviews.package`).

#: Every model with study data, children first: the order to delete in. The registry's
#: identities, placements, roles and imports point at study rows, so they go first; the survey
#: links of the invitations and their delivery log go with the invitations (consent decisions
#: are a person's, not a package's, and stay).
DELETE_ORDER: tuple[type[models.Model], ...] = (
    r.Role,
    r.ImportBatch,
    r.Placement,
    r.SupervisorIdentity,
    r.EmployeeIdentity,
    r.TrainerIdentity,
    r.OrganisationIdentity,
    r.Municipality,
    d.Delivery,
    s.Link,
    i.SegmentCode,
    i.Segment,
    i.Interview,
    m.Response,
    m.Invitation,
    m.Attendance,
    m.Meeting,
    m.RegisterMonth,
    m.Employee,
    m.RegisterPerson,
    m.Supervisor,
    m.Cost,
    m.TrainingGroup,
    m.Trainer,
    m.Organisation,
    m.Region,
    m.StudyMeta,
)
