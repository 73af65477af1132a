"""Monitoring pages: response and participant flow, the delivery log, whom to remind or phone,
and the letters to print."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorwijs.web.errors import IdentityKeyError
from mentorwijs.web.exports import export_log
from mentorwijs.web.invitations import access, selectors, services
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.schedule import rules_of


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


@login_required
@require_GET
def monitoring(request: HttpRequest) -> HttpResponse:
    """Response per wave per training group and region, and the participant flow."""
    access.monitoring_check(user=request.user)
    now = timezone.now()
    groups = access.groups_in_scope(user=request.user)
    invitations = access.invitations_in_scope(user=request.user)
    context = {
        "now": now,
        "rows": selectors.response_rows(invitations=invitations),
        "flows": selectors.participant_flow(
            groups=groups, invitations=invitations, now=now, lang=_lang()
        ),
        "counts": selectors.delivery_counts(
            deliveries=access.deliveries_in_scope(user=request.user)
        ),
        "all_regions": access.region_scope(user=request.user) is None,
    }
    return render(request, "invitations/monitoring.html", context)


@login_required
@require_GET
def delivery_list(request: HttpRequest) -> HttpResponse:
    """The delivery log, filtered by status, kind and channel, 50 rows a page."""
    access.monitoring_check(user=request.user)
    chosen = {
        name: request.GET.get(name, "")
        for name, choices in (
            ("status", Delivery.STATUSES),
            ("kind", Delivery.KINDS),
            ("channel", Delivery.CHANNELS),
        )
        if request.GET.get(name, "") in {code for code, _ in choices}
    }
    rows = selectors.delivery_rows(
        deliveries=access.deliveries_in_scope(user=request.user), **chosen
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in chosen.items())
    context = {
        "page": page,
        "chosen": chosen,
        "query": query,
        "statuses": Delivery.STATUSES,
        "kinds": Delivery.KINDS,
        "channels": Delivery.CHANNELS,
    }
    return render(request, "invitations/delivery_list.html", context)


@login_required
@require_POST
def delivery_bounce(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Mark a sent e-mail bounced (a bounce reported later, e.g. by the recipient's server)."""
    delivery = access.delivery_get(user=request.user, delivery_id=delivery_id)
    if delivery.channel != Delivery.EMAIL or delivery.status != Delivery.SENT:
        raise Http404("not found")
    services.delivery_mark_bounced(
        delivery=delivery, reason=_("marked bounced by %(user)s") % {"user": request.user}
    )
    messages.success(request, _("The e-mail has been marked bounced; no reminders will follow."))
    return redirect("invitations:delivery_list")


@login_required
@require_GET
def reminder_list(request: HttpRequest) -> HttpResponse:
    """Who has not answered: reminders due and people to phone, with name and phone number
    where the user may read them."""
    access.monitoring_check(user=request.user)
    user = request.user
    rows = selectors.reminder_rows(
        invitations=access.invitations_in_scope(user=user),
        now=timezone.now(),
        rules=rules_of(),
        readable=lambda region: access.identities_readable(user=user, region_id=region),
    )
    context = {"rows": rows, "names": any(r.name is not None for r in rows), "rules": rules_of()}
    return render(request, "invitations/reminder_list.html", context)


@login_required
@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    """Letters for people without e-mail, to download and print (typeset on download)."""
    letters = access.letters_in_scope(user=request.user)
    try:
        rows = selectors.letter_rows(letters=letters)
    except IdentityKeyError as exc:
        return _key_error(request, exc)
    context = {"rows": rows, "new": sum(1 for r in rows if r["delivery"].downloaded_at is None)}
    return render(request, "invitations/letter_list.html", context)


def _key_error(request: HttpRequest, exc: IdentityKeyError) -> HttpResponse:
    """The letters page with the key's error instead of letters (HTTP 500: the server's
    identity key is wrong or missing); nothing is downloaded or recorded."""
    error = str(exc) if _lang() == "en" else exc.message_nl
    context = {"rows": [], "new": 0, "error": error}
    return render(request, "invitations/letter_list.html", context, status=500)


@login_required
@require_GET
def letter_batch(request: HttpRequest) -> HttpResponse:
    """Every letter not downloaded yet, in one PDF to print in one go."""
    letters = list(
        access.letters_in_scope(user=request.user)
        .filter(downloaded_at__isnull=True)
        .select_related("link__invitation")
        .order_by("pk")
    )
    if not letters:
        messages.info(request, _("Every letter has been downloaded already."))
        return redirect("invitations:letter_list")
    try:
        pdf = services.letters_batch(deliveries=letters, user=request.user)
    except IdentityKeyError as exc:
        return _key_error(request, exc)
    export_log(what="invitation letters (PDF)", letters=len(letters))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="mentorwijs-brieven-{stamp}.pdf"'
    return response


@login_required
@require_GET
def letter_download(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """One letter as PDF, typeset now; the first download is recorded (who, when)."""
    delivery = access.delivery_get(user=request.user, delivery_id=delivery_id, letter=True)
    try:
        pdf = services.letter_pdf(delivery=delivery, user=request.user)
    except IdentityKeyError as exc:
        return _key_error(request, exc)
    export_log(what="invitation letter (PDF)", delivery=delivery.pk)
    inv = delivery.link.invitation
    name = f"mentorwijs-{inv.wave}-{delivery.kind}-{delivery.pk}.pdf"
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=name)
