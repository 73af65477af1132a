"""The two-factor step after the password, setting up the authenticator app, the lock-out page.

The codes are TOTP (RFC 6238) as django-otp computes and checks them; django-otp also
throttles wrong codes (each failure doubles the wait) and refuses a code used before.
"""

from __future__ import annotations

import base64
import math
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorwijs.web.accounts.forms import TokenForm


def _next(request: HttpRequest) -> str:
    """The page to go on to: ``next`` when it is a page of this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _to(view: str, request: HttpRequest) -> str:
    return f"{reverse(view)}?{urlencode({'next': _next(request)})}"


def _wait_message(device: TOTPDevice) -> str | None:
    """A message saying how long to wait, while django-otp's throttle refuses codes."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": seconds}


def _passed(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is passed
    return redirect(_next(request))


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the user's authenticator app; pass it to go on."""
    device = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).first()
    if device is None:
        return redirect(_to("accounts:enrol", request))
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        if wait is None and device.verify_token(form.cleaned_data["token"]):
            return _passed(request, device)
        form.add_error("token", wait or _("This code is not right."))
        status = 400
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/verify.html", context, status=status)


def _secret_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""
    user: Any = request.user
    if TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists():
        if user.is_verified():
            messages.info(request, _("Two-step verification is already set up."))
            return redirect(_next(request))
        return redirect(_to("accounts:verify", request))
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Mentorwijs", confirmed=False)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = _wait_message(device)
        if wait is None and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, _("Two-step verification is set up."))
            return _passed(request, device)
        form.add_error("token", wait or _("This code is not right."))
        status = 400
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next(request),
        "qr": qr.png_data_uri(scale=5, border=4),
        "secret": _secret_groups(device),
    }
    return render(request, "accounts/enrol.html", context, status=status)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lock-out page: too many failed logins, wait and try again (HTTP 429)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "accounts/locked.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
