"""Who may see which evaluation run, and the cost–benefit analysis of which region.

| role | runs list | run page, products | cost–benefit, regional factsheets |
|---|---|---|---|
| researcher | yes, and starts runs | yes, and makes them | every region (and all together) |
| coordinator | yes | 403 (the products are the study's) | own regions; another one 404 |
| trainer, employer contact, no role | 403 | 403 | 403 |

The final report, the national factsheet and the practice guide cover the whole study; a
coordinator's product is the factsheet of their own region.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from mentorwijs.web.registry.access import coordinator_region_ids, is_researcher, require_role
from mentorwijs.web.registry.models import Role
from mentorwijs.web.runs.models import EvaluationRun


def runs_list_check(*, user: Any) -> None:
    """403 unless the user is a researcher or coordinator."""
    require_role(user, Role.RESEARCHER, Role.COORDINATOR)


def run_start_check(*, user: Any) -> None:
    """403 unless the user is a researcher (only researchers start runs)."""
    require_role(user, Role.RESEARCHER)


def evaluation_run_get(*, user: Any, run_id: int, cost_benefit: bool = False) -> EvaluationRun:
    """A run to see (researcher) or, with ``cost_benefit``, to see its regional pages: the
    cost–benefit analysis and the regional factsheets (also coordinators)."""
    if cost_benefit:
        require_role(user, Role.RESEARCHER, Role.COORDINATOR)
    else:
        require_role(user, Role.RESEARCHER)
    run = EvaluationRun.objects.filter(pk=run_id).first()
    if run is None:
        raise Http404("not found")
    return run


def cost_benefit_regions(*, user: Any, regions: dict[str, str]) -> dict[str, str]:
    """Of the run's ``regions`` (id → name), those the user may see the analysis and the
    factsheet of."""
    if is_researcher(user):
        return dict(regions)
    own = coordinator_region_ids(user)
    return {k: v for k, v in regions.items() if k in own}


def cost_benefit_region_check(*, user: Any, region_id: str) -> None:
    """404 for a region outside the user's scope ("" is all regions: researchers only)."""
    if is_researcher(user):
        return
    if not region_id or region_id not in coordinator_region_ids(user):
        raise Http404("not found")
