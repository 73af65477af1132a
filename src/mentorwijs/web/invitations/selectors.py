"""What the monitoring pages show: response per wave, the participant flow, the delivery log
and the reminder list. Each takes rows the caller may see (querysets from ``access``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from mentorwijs.protocol import load_protocol
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.people import contacts_of
from mentorwijs.web.invitations.schedule import Rules
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.consent import withdrawn_respondents

_GROUP = Coalesce("supervisor__training_group_id", "employee__supervisor__training_group_id")
_REGION = Coalesce(
    "supervisor__training_group__region_id", "employee__supervisor__training_group__region_id"
)


def _rate(answered: int, invited: int) -> float | None:
    return 100.0 * answered / invited if invited else None


@dataclass
class ResponseRow:
    """Invited and answered for one region, group, role and wave (group "" = region total)."""

    region_id: str
    region_name: str
    training_group_id: str
    role: str
    wave: str
    invited: int = 0
    answered: int = 0
    reminded: int = 0
    bounced: int = 0

    @property
    def rate(self) -> float | None:
        return _rate(self.answered, self.invited)

    @property
    def total(self) -> bool:
        return not self.training_group_id


def response_rows(*, invitations: QuerySet[m.Invitation]) -> list[ResponseRow]:
    """Response per wave per training group, each region followed by its total rows.

    Returns
    -------
    list of ResponseRow
        Sorted by region, then group (region totals last within the region), role and wave
        in protocol order.
    """
    protocol = load_protocol()
    order = {code: i for i, code in enumerate(protocol.waves)}
    names = dict(m.Region.objects.values_list("region_id", "name"))
    counted = (
        invitations.annotate(group=_GROUP, region=_REGION)
        .values("region", "group", "role", "wave")
        .annotate(
            invited=Count("pk", distinct=True),
            answered=Count("pk", filter=Q(completed_at__isnull=False), distinct=True),
            reminded=Count("pk", filter=Q(reminders__gt=0), distinct=True),
            bounced=Count("pk", filter=Q(link__deliveries__status=Delivery.BOUNCED), distinct=True),
        )
    )
    rows: list[ResponseRow] = []
    totals: dict[tuple[str, str, str], ResponseRow] = {}
    for c in counted:
        region = c["region"] or ""
        row = ResponseRow(region, names.get(region, region), c["group"] or "", c["role"], c["wave"])
        for key in ("invited", "answered", "reminded", "bounced"):
            setattr(row, key, c[key])
        rows.append(row)
        total = totals.setdefault(
            (region, c["role"], c["wave"]),
            ResponseRow(region, row.region_name, "", c["role"], c["wave"]),
        )
        for key in ("invited", "answered", "reminded", "bounced"):
            setattr(total, key, getattr(total, key) + c[key])
    rows += totals.values()

    def key(r: ResponseRow) -> tuple:
        return (r.region_id, r.total, r.training_group_id, r.role, order.get(r.wave, 99))

    return sorted(rows, key=key)


@dataclass
class FlowStep:
    """One wave of the participant flow."""

    wave: str
    label: str
    invited: int = 0
    answered: int = 0
    open: int = 0
    missed: int = 0

    @property
    def rate(self) -> float | None:
        return _rate(self.answered, self.invited)


@dataclass
class Flow:
    """The participant flow of one role: who may be asked, then invited → answered per wave."""

    role: str
    eligible: int
    steps: list[FlowStep] = field(default_factory=list)

    #: Geometry of the diagram (SVG user units): one row per wave under the eligible box.
    WIDTH = 720
    ROW = 64
    TOP = 76
    BAR_X = 420
    BAR_W = 290

    @property
    def height(self) -> int:
        return self.TOP + self.ROW * len(self.steps) + 8

    def rows(self) -> list[dict[str, Any]]:
        """Each step with its y position and bar widths (scaled to the eligible count)."""
        scale = max(self.eligible, *(s.invited for s in self.steps), 1)
        return [
            {
                "step": s,
                "y": self.TOP + i * self.ROW,
                "invited_w": round(self.BAR_W * s.invited / scale, 1),
                "answered_w": round(self.BAR_W * s.answered / scale, 1),
            }
            for i, s in enumerate(self.steps)
        ]


def participant_flow(
    *, groups: QuerySet[m.TrainingGroup], invitations: QuerySet[m.Invitation], now: datetime,
    lang: str,
) -> list[Flow]:  # fmt: skip
    """Per role: supervisors in the groups (employees who may be asked), and per wave of the
    protocol how many were invited, answered, are still open and missed the wave."""
    protocol = load_protocol()
    eligible = {
        "supervisor": m.Supervisor.objects.filter(training_group__in=groups).count(),
        "employee": m.Employee.objects.filter(
            supervisor__training_group__in=groups, consent_questionnaire=True
        ).count(),
    }
    counted = invitations.values("role", "wave").annotate(
        invited=Count("pk"),
        answered=Count("pk", filter=Q(completed_at__isnull=False)),
        open=Count("pk", filter=Q(completed_at__isnull=True, link__expires_at__gt=now)),
    )
    by_key = {(c["role"], c["wave"]): c for c in counted}
    flows = []
    for role in ("supervisor", "employee"):
        flow = Flow(role=role, eligible=eligible[role])
        for code in protocol.waves_for(role):
            c = by_key.get((role, code), {})
            step = FlowStep(
                code,
                protocol.waves[code].label.get(lang),
                c.get("invited", 0),
                c.get("answered", 0),
                c.get("open", 0),
            )
            step.missed = step.invited - step.answered - step.open
            flow.steps.append(step)
        flows.append(flow)
    return flows


def delivery_rows(
    *, deliveries: QuerySet[Delivery], status: str = "", kind: str = "", channel: str = ""
) -> QuerySet[Delivery]:
    """The delivery log, newest first, optionally filtered."""
    qs = deliveries.select_related("link__invitation").annotate(
        respondent=Coalesce("link__invitation__supervisor_id", "link__invitation__employee_id")
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-pk")


def delivery_counts(*, deliveries: QuerySet[Delivery]) -> dict[str, int]:
    """How many deliveries have each status."""
    counts = dict(
        deliveries.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {code: counts.get(code, 0) for code, _ in Delivery.STATUSES}


@dataclass
class ReminderRow:
    """Someone who has not answered, to remind or to phone."""

    role: str
    respondent_id: str
    region_id: str
    training_group_id: str
    wave: str
    invited_at: datetime
    reminders: int
    reminded_at: datetime | None
    expires_at: datetime
    next_reminder: datetime | None
    problem: str  # "", "bounced" or "failed"
    name: str | None = None
    phone: str | None = None


def reminder_rows(
    *, invitations: QuerySet[m.Invitation], now: datetime, rules: Rules, readable: Any
) -> list[ReminderRow]:
    """Unfinished, open invitations sent at least ``reminder_after_days`` ago, or whose
    mail bounced or failed: the people a coordinator may phone.

    ``readable(region_id)`` says whether names and phone numbers may be shown.
    """
    withdrawn = withdrawn_respondents("questionnaire")
    qs = (
        invitations.filter(completed_at__isnull=True, link__expires_at__gt=now)
        .annotate(group=_GROUP, region=_REGION, expires=F("link__expires_at"))
        .prefetch_related("link__deliveries")
        .select_related("link")
        .order_by("invited_at", "pk")
    )
    rows = []
    for inv in qs:
        respondent = inv.supervisor_id or inv.employee_id or ""
        if (inv.role, respondent) in withdrawn:
            continue
        deliveries = list(inv.link.deliveries.all())
        statuses = {d.status for d in deliveries}
        problem = next((s for s in (Delivery.BOUNCED, Delivery.FAILED) if s in statuses), "")
        sent = [d.sent_at for d in deliveries if d.status == Delivery.SENT and d.sent_at]
        first = min(sent) if sent else None
        due = first is not None and now >= first + timedelta(days=rules.reminder_after_days)
        if not (due or problem):
            continue
        next_at = None
        if sent and not problem and inv.reminders < rules.max_reminders:
            wait = rules.reminder_after_days if inv.reminders == 0 else rules.reminder_every_days
            next_at = max(sent) + timedelta(days=wait)
            if next_at >= inv.link.expires_at:
                next_at = None
        rows.append(
            ReminderRow(
                inv.role,
                respondent,
                inv.region or "",
                inv.group or "",
                inv.wave,
                inv.invited_at,
                inv.reminders,
                inv.reminded_at,
                inv.expires,
                next_at,
                problem,
            )
        )
    shown = {(r.role, r.respondent_id) for r in rows if readable(r.region_id)}
    contacts = contacts_of(keys=shown)
    for row in rows:
        contact = contacts.get((row.role, row.respondent_id))
        if contact is not None:
            row.name, row.phone = contact.name, contact.phone
    return rows


def letter_rows(*, letters: QuerySet[Delivery]) -> list[dict[str, Any]]:
    """Letters ready to print, not yet downloaded first, with the addressee's name."""
    rows = list(
        letters.select_related("link__invitation").order_by(
            F("downloaded_at").asc(nulls_first=True), "-created_at", "-pk"
        )
    )
    keys = {
        (d.link.invitation.role, d.link.invitation.supervisor_id or d.link.invitation.employee_id)
        for d in rows
    }
    contacts = contacts_of(keys=keys)  # type: ignore[arg-type]
    out = []
    for d in rows:
        inv = d.link.invitation
        respondent = inv.supervisor_id or inv.employee_id or ""
        contact = contacts.get((inv.role, respondent))
        out.append({"delivery": d, "respondent": respondent, "name": contact and contact.name})
    return out
