"""Logging in a user who has passed the two-factor step, for tests.

Nothing here weakens production: the helper gives the user a real confirmed TOTP device and
marks the test client's session as verified with it, exactly what the code step does after
a right code. Browser tests instead type the device's current code (``totp_token``).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator device, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def totp_token(device: TOTPDevice) -> str:
    """The device's current six-digit code, usable even when one was used this half minute.

    django-otp refuses a code of a time step it has already accepted; a test that logs in
    twice within 30 seconds forgets that step first (the device is the test's own).
    """
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verified_login(client: Client, user: Any) -> Client:
    """Log ``user`` in on ``client`` with the second factor passed; returns the client."""
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
