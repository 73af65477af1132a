"""Who may see the monitoring of invitations, the delivery log, the reminder list and letters.

| role | monitoring, delivery log, reminder list | names and phone numbers | letters |
|---|---|---|---|
| coordinator | own regions' training groups | yes, own region | own region's |
| researcher | every group | only with ``identity_grant`` | only with ``identity_grant`` |
| trainer, employer contact, no role | 403 | – | 403 |

A respondent belongs to the region of the training group they are scheduled from (an
employee to their supervisor's group). A delivery outside the user's scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.registry.access import (
    coordinator_region_ids,
    is_researcher,
    require_role,
    researcher_reads_identities,
)
from mentorwijs.web.registry.models import Role
from mentorwijs.web.study import models as m


def monitoring_check(*, user: Any) -> None:
    """403 unless the user is a coordinator or a researcher."""
    require_role(user, Role.COORDINATOR, Role.RESEARCHER)


def region_scope(*, user: Any) -> set[str] | None:
    """The regions the user monitors; None for all (researchers)."""
    return None if is_researcher(user) else coordinator_region_ids(user)


def groups_in_scope(*, user: Any) -> QuerySet[m.TrainingGroup]:
    """Training groups the user monitors."""
    regions = region_scope(user=user)
    qs = m.TrainingGroup.objects.all()
    return qs if regions is None else qs.filter(region_id__in=regions)


def _in_regions(prefix: str, regions: set[str]) -> Q:
    inv = f"{prefix}invitation__" if prefix else ""
    return Q(**{f"{inv}supervisor__training_group__region_id__in": regions}) | Q(
        **{f"{inv}employee__supervisor__training_group__region_id__in": regions}
    )


def invitations_in_scope(*, user: Any) -> QuerySet[m.Invitation]:
    """Invitations of respondents in the user's scope."""
    regions = region_scope(user=user)
    qs = m.Invitation.objects.all()
    return qs if regions is None else qs.filter(_in_regions("", regions))


def deliveries_in_scope(*, user: Any) -> QuerySet[Delivery]:
    """Deliveries to respondents in the user's scope."""
    regions = region_scope(user=user)
    qs = Delivery.objects.all()
    return qs if regions is None else qs.filter(_in_regions("link__", regions))


def identities_readable(*, user: Any, region_id: str) -> bool:
    """Whether the user may read names and phone numbers of a region's respondents."""
    return region_id in coordinator_region_ids(user) or researcher_reads_identities(user)


def letters_check(*, user: Any) -> None:
    """Letters carry names, addresses and working links: coordinators and researchers with
    an identity grant only."""
    require_role(user, Role.COORDINATOR, Role.RESEARCHER)
    if not coordinator_region_ids(user) and not researcher_reads_identities(user):
        raise PermissionDenied


def letters_in_scope(*, user: Any) -> QuerySet[Delivery]:
    """Letters the user may download."""
    letters_check(user=user)
    qs = Delivery.objects.filter(channel=Delivery.LETTER).exclude(letter_name="")
    if researcher_reads_identities(user):
        return qs
    return qs.filter(_in_regions("link__", coordinator_region_ids(user)))


def delivery_get(*, user: Any, delivery_id: int, letter: bool = False) -> Delivery:
    """A delivery to mark bounced (coordinator, researcher) or a letter to download."""
    if letter:
        qs = letters_in_scope(user=user)
    else:
        monitoring_check(user=user)
        qs = deliveries_in_scope(user=user)
    delivery = qs.select_related("link__invitation").filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("not found")
    return delivery
