"""Coordinator's dashboard, training groups, enrolment; the trainer's meeting page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorwijs.web.errors import RegistryError
from mentorwijs.web.registry import access, forms, selectors, services
from mentorwijs.web.registry.models import Role
from mentorwijs.web.registry.views.common import error_text, wants_json
from mentorwijs.web.study import models as m


def _trainer_choices() -> list[tuple[str, str]]:
    trainers = list(m.Trainer.objects.order_by("pk"))
    names = selectors.trainer_names(trainer_ids=[t.pk for t in trainers])
    return [(t.pk, f"{names[t.pk]} ({t.pk})" if t.pk in names else t.pk) for t in trainers]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's groups: upcoming meetings, attendance, reach and costs so far."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = access.coordinator_region_ids(request.user)
    groups = access.coordinated_groups(user=request.user)
    context = {
        "regions": m.Region.objects.filter(pk__in=regions),
        "upcoming": selectors.meetings_upcoming(groups=groups, today=timezone.localdate()),
        "attendance": selectors.attendance_per_group(groups=groups),
        "reach": selectors.reach(groups=groups),
        "costs": selectors.costs_so_far(region_ids=regions),
        "categories": dict(forms.COST_CATEGORIES),
        "registry": selectors.registry_counts(region_ids=regions),
    }
    return render(request, "registry/dashboard.html", context)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    """A new training group with its five meetings."""
    access.require_role(request.user, Role.COORDINATOR)
    regions = m.Region.objects.filter(pk__in=access.coordinator_region_ids(request.user))
    form = forms.TrainingGroupForm(
        request.POST or None,
        regions=regions,
        providers=selectors.organisation_choices(region_ids=[], kind="provider"),
        trainers=_trainer_choices(),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        group = services.training_group_create(
            region=d["region"],
            provider=m.Organisation.objects.get(pk=d["provider"]),
            trainer_1=m.Trainer.objects.get(pk=d["trainer_1"]),
            trainer_2=m.Trainer.objects.get(pk=d["trainer_2"]) if d["trainer_2"] else None,
            mode=d["mode"],
            capacity=d["capacity"],
            meetings=form.meetings(),
        )
        messages.success(request, _("Group %(group)s has been created.") % {"group": group.pk})
        return redirect("registry:group_detail", training_group_id=group.pk)
    return render(request, "registry/group_form.html", {"form": form})


@login_required
def group_detail(request: HttpRequest, training_group_id: str) -> HttpResponse:
    """A group: its meetings, its supervisors and (for its coordinator) enrolment."""
    group = access.training_group_get(user=request.user, training_group_id=training_group_id)
    names = access.names_readable_in_group(user=request.user, group=group)
    may_change = group.region_id in access.coordinator_region_ids(request.user)
    enrol_form = None
    if may_change:
        available = selectors.supervisors_available(region=group.region)
        people = selectors.people(supervisors=available, names=True)
        enrol_form = forms.EnrolForm(choices=[(p.pk, p.label) for p in people])
    context = {
        "group": group,
        "trainers": selectors.trainer_names(trainer_ids=[group.trainer_1_id, group.trainer_2_id]),
        "meetings": selectors.group_meetings(group=group),
        "enrolled": selectors.people(supervisors=group.supervisors.all(), names=names),
        "may_change": may_change,
        "may_record": may_change
        or bool({group.trainer_1_id, group.trainer_2_id} & access.trainer_ids(request.user)),
        "enrol_form": enrol_form,
    }
    return render(request, "registry/group_detail.html", context)


@login_required
@require_POST
def group_enrol(request: HttpRequest, training_group_id: str) -> HttpResponse:
    """Enrol the chosen supervisors of the group's region."""
    group = access.training_group_get(
        user=request.user, training_group_id=training_group_id, change=True
    )
    chosen = request.POST.getlist("supervisors")
    supervisors = [
        access.supervisor_get(user=request.user, supervisor_id=pk, change=True) for pk in chosen
    ]
    if not supervisors:
        messages.error(request, _("Choose at least one supervisor to enrol."))
    else:
        try:
            count = services.training_group_enrol(training_group=group, supervisors=supervisors)
        except RegistryError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("%(count)s supervisor(s) enrolled.") % {"count": count})
    return redirect("registry:group_detail", training_group_id=group.pk)


@login_required
def trainer_home(request: HttpRequest) -> HttpResponse:
    """The trainer's groups and their meetings, today's first."""
    access.require_role(request.user, Role.TRAINER)
    groups = access.trained_groups(user=request.user).order_by("start_date")
    meetings = (
        m.Meeting.objects.filter(training_group__in=groups)
        .select_related("training_group")
        .order_by("date", "start_time")
    )
    today = timezone.localdate()
    context = {
        "upcoming": [x for x in meetings if x.date >= today],
        "past": [x for x in meetings if x.date < today][::-1],
        "today": today,
    }
    return render(request, "registry/trainer_home.html", context)


def _meeting(request: HttpRequest, training_group_id: str, meeting_no: int) -> m.Meeting:
    return access.meeting_get(
        user=request.user,
        training_group_id=training_group_id,
        meeting_no=meeting_no,
        record=True,
    )


@login_required
def meeting_detail(request: HttpRequest, training_group_id: str, meeting_no: int) -> HttpResponse:
    """Attendance (one tap per supervisor) and the trainer's log of one meeting."""
    meeting = _meeting(request, training_group_id, meeting_no)
    group = meeting.training_group
    marks = selectors.attendance_marks(meeting=meeting)
    people = selectors.people(supervisors=group.supervisors.all(), names=True)
    log_form = forms.MeetingLogForm(
        planned_parts=meeting.planned_parts,
        initial={
            "held": meeting.held,
            "parts": meeting.parts_delivered,
            "duration_minutes": meeting.duration_minutes,
            "remarks": meeting.remarks,
        },
    )
    context = {
        "meeting": meeting,
        "group": group,
        "rows": [(p, marks.get(p.pk)) for p in people],
        "present": sum(1 for v in marks.values() if v),
        "log_form": log_form,
    }
    return render(request, "registry/meeting_detail.html", context)


@login_required
@require_POST
def attendance_mark(request: HttpRequest, training_group_id: str, meeting_no: int) -> HttpResponse:
    """Save one supervisor's attendance at once (a plain POST, or fetch from the script)."""
    meeting = _meeting(request, training_group_id, meeting_no)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    supervisor = meeting.training_group.supervisors.filter(
        pk=form.cleaned_data["supervisor"]
    ).first()
    if supervisor is None:
        raise Http404("not found")
    row = services.attendance_mark(
        meeting=meeting, supervisor=supervisor, present=form.cleaned_data["present"]
    )
    if wants_json(request):
        present = m.Attendance.objects.filter(meeting=meeting, present=True).count()
        return JsonResponse({"supervisor": supervisor.pk, "present": row.present, "count": present})
    url = reverse("registry:meeting_detail", args=[meeting.training_group_id, meeting.meeting_no])
    return redirect(f"{url}#s-{supervisor.pk}")


@login_required
@require_POST
def attendance_rest(request: HttpRequest, training_group_id: str, meeting_no: int) -> HttpResponse:
    """Mark every supervisor without a mark as absent."""
    meeting = _meeting(request, training_group_id, meeting_no)
    count = services.attendance_rest_absent(meeting=meeting)
    messages.success(request, _("%(count)s supervisor(s) marked absent.") % {"count": count})
    return redirect("registry:meeting_detail", training_group_id, meeting_no)


@login_required
@require_POST
def meeting_log(request: HttpRequest, training_group_id: str, meeting_no: int) -> HttpResponse:
    """Save the trainer's log: held, parts delivered, duration and remarks."""
    meeting = _meeting(request, training_group_id, meeting_no)
    form = forms.MeetingLogForm(request.POST, planned_parts=meeting.planned_parts)
    if form.is_valid():
        d = form.cleaned_data
        services.meeting_log_save(
            meeting=meeting,
            held=d["held"],
            parts_delivered=d["parts"],
            duration_minutes=d["duration_minutes"],
            remarks=d["remarks"],
        )
        messages.success(request, _("The log has been saved."))
        return redirect("registry:meeting_detail", training_group_id, meeting_no)
    marks = selectors.attendance_marks(meeting=meeting)
    people = selectors.people(supervisors=meeting.training_group.supervisors.all(), names=True)
    context = {
        "meeting": meeting,
        "group": meeting.training_group,
        "rows": [(p, marks.get(p.pk)) for p in people],
        "present": sum(1 for v in marks.values() if v),
        "log_form": form,
    }
    return render(request, "registry/meeting_detail.html", context, status=400)
