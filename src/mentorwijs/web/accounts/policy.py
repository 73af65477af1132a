"""Who must use two-factor authentication.

Researchers and coordinators must (they read pseudonymised study data of everyone, or the
identities of a region), and so must Django staff and superusers (the admin site). Any
other user who has set up an authenticator app must use it too: a second factor one has
is never skipped.
"""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorwijs.web.registry.access import user_roles
from mentorwijs.web.registry.models import Role

#: Roles that may not work without the second factor.
TWO_FACTOR_ROLES = frozenset({Role.RESEARCHER, Role.COORDINATOR})


def has_device(user: Any) -> bool:
    """Whether the user has a confirmed authenticator app (read once per request)."""
    cached = getattr(user, "_mentorwijs_has_device", None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        user._mentorwijs_has_device = cached
    return bool(cached)


def two_factor_required(user: Any) -> bool:
    """Whether ``user`` must pass the code step before any staff page."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if any(role.role in TWO_FACTOR_ROLES for role in user_roles(user)):
        return True
    return has_device(user)
