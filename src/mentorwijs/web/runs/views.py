"""Pages of the evaluation runs: the list, starting a run, a run, its products (made at the
press of a button, each downloadable in every language and format), the regional
factsheets, and the cost–benefit analysis."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorwijs.web.exports import export_log
from mentorwijs.web.registry.access import is_researcher
from mentorwijs.web.runs import access, forms, selectors, services
from mentorwijs.web.runs.costbenefit import cost_benefit_for_run, parameter_specs, run_regions
from mentorwijs.web.runs.errors import RunError
from mentorwijs.web.runs.models import EvaluationRun


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _error_text(exc: RunError) -> str:
    return str(exc) if _lang() == "en" else exc.message_nl


def _list(request: HttpRequest, form: forms.RunForm | None, status: int = 200) -> HttpResponse:
    researcher = is_researcher(request.user)
    context = {
        "runs": selectors.evaluation_runs_list(),
        "form": form if researcher else None,
        "researcher": researcher,
        "direct": researcher and selectors.direct_run_allowed(),
        "direct_max": selectors.DIRECT_MAX_PERSONS,
    }
    return render(request, "runs/run_list.html", context, status=status)


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    """Every run with its status; researchers start a new one here."""
    access.runs_list_check(user=request.user)
    return _list(request, forms.RunForm())


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Queue a run, or (a small demo study) compute it at once."""
    access.run_start_check(user=request.user)
    action = forms.NOW if request.POST.get("action") == forms.NOW else forms.QUEUE
    form = forms.RunForm(request.POST, action=action)
    if not form.is_valid():
        return _list(request, form)
    start = services.evaluation_run_queue
    if action == forms.NOW:
        start = services.evaluation_run_start_now
    try:
        run = start(user=request.user, settings=form.settings(), seed=form.cleaned_data["seed"])
    except RunError as exc:
        form.add_error(None, _error_text(exc))
        return _list(request, form)
    if run.status == EvaluationRun.QUEUED:
        messages.success(request, _("The run has been queued; it starts within a few minutes."))
    elif run.status == EvaluationRun.DONE:
        messages.success(request, _("The run is done."))
    else:
        messages.error(request, _("The run has failed; the reason is below."))
    return redirect("runs:run_detail", run_id=run.pk)


#: Products in the site's (Dutch) paths, and the other way round.
PRODUCT_SLUGS = {
    "rapport": "report",
    "factsheet": "factsheet",
    "praktijkgids": "guide",
    "makkelijk-lezen": "easyread",
}
SLUG_OF = {product: slug for slug, product in PRODUCT_SLUGS.items()}
LANGUAGE_NAMES = (("nl", "Nederlands"), ("en", "English"))
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "html": "HTML"}


def _product_names() -> dict[str, str]:
    return {
        "report": _("Final report"),
        "factsheet": _("Factsheet"),
        "guide": _("Practice guide"),
        "easyread": _("Findings in easy words (employees)"),
    }


def _downloads(run: EvaluationRun) -> list[dict[str, object]]:
    """The national products of a run: one row per product and language, a link per format."""
    ready = selectors.evaluation_run_products_ready(
        run=run, products=services.PRODUCTS, languages=services.LANGUAGES, formats=FORMAT_NAMES
    )
    names = _product_names()
    return [
        {
            "product": names[product],
            "lang": lang,
            "language": language,
            "files": [
                {
                    "fmt": fmt,
                    "name": label,
                    "ready": ready[(product, lang, fmt)],
                    "url": reverse(
                        "runs:run_product",
                        kwargs={
                            "run_id": run.pk,
                            "product": SLUG_OF[product],
                            "lang": lang,
                            "fmt": fmt,
                        },
                    ),
                }
                for fmt, label in FORMAT_NAMES.items()
            ],
        }
        for product in services.PRODUCTS
        for lang, language in LANGUAGE_NAMES
    ]


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: status, settings, its products and the main tables."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id)
    context = {
        "run": run,
        "error": run.error_en if _lang() == "en" else run.error_nl,
        "tables": selectors.evaluation_run_tables(run=run, lang=_lang()),
        "downloads": _downloads(run) if run.is_done else [],
        "n_regions": len(selectors.evaluation_run_regions(run=run)),
    }
    return render(request, "runs/run_detail.html", context)


@login_required
@require_POST
def run_products_generate(request: HttpRequest, run_id: int) -> HttpResponse:
    """Make every national product of a finished run, in both languages and every format."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id)
    if not run.is_done:
        raise Http404("not found")
    started = time.perf_counter()
    paths = services.evaluation_run_products_generate(run=run)
    messages.success(
        request,
        _("The products are ready: %(n)d files, made in %(s).0f seconds.")
        % {"n": len(paths), "s": time.perf_counter() - started},
    )
    return redirect("runs:run_detail", run_id=run.pk)


def _download(path: Path, run: EvaluationRun) -> FileResponse:
    filename = f"{path.stem}-run-{run.pk}{path.suffix}"
    export_log(what=f"evaluation run {run.pk}: {path.name}")
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_GET
def run_product(
    request: HttpRequest, run_id: int, product: str, lang: str, fmt: str
) -> FileResponse:
    """A national product of a finished run, as a download (made on first request)."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id)
    name = PRODUCT_SLUGS.get(product)
    if name is None or lang not in services.LANGUAGES or fmt not in FORMAT_NAMES:
        raise Http404("not found")
    if not run.is_done:
        raise Http404("not found")
    return _download(
        services.evaluation_run_product(run=run, product=name, lang=lang, fmt=fmt), run
    )


def _region_files(run: EvaluationRun, region: str) -> list[dict[str, object]]:
    """Per language, the (format name, URL) of a region's factsheet."""
    return [
        {
            "lang": lang,
            "language": language,
            "files": [
                (
                    label,
                    reverse(
                        "runs:run_region_factsheet",
                        kwargs={"run_id": run.pk, "region": region, "lang": lang, "fmt": fmt},
                    ),
                )
                for fmt, label in FORMAT_NAMES.items()
            ],
        }
        for lang, language in LANGUAGE_NAMES
    ]


def _visible_regions(request: HttpRequest, run: EvaluationRun) -> dict[str, str]:
    regions = selectors.evaluation_run_regions(run=run)
    return access.cost_benefit_regions(user=request.user, regions=regions)


@login_required
@require_GET
def run_factsheets(request: HttpRequest, run_id: int) -> HttpResponse:
    """The regional factsheets of a run: every region for researchers, their own for
    coordinators, each in Dutch and English as PDF, Word and HTML."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id, cost_benefit=True)
    regions = _visible_regions(request, run) if run.is_done else {}
    rows = [
        {"region": region, "name": name, "languages": _region_files(run, region)}
        for region, name in regions.items()
    ]
    context = {"run": run, "rows": rows, "researcher": is_researcher(request.user)}
    return render(request, "runs/factsheets.html", context)


@login_required
@require_GET
def run_region_factsheet(
    request: HttpRequest, run_id: int, region: str, lang: str, fmt: str
) -> FileResponse:
    """A region's factsheet as a download: any region for researchers, their own for
    coordinators (another region: 404)."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id, cost_benefit=True)
    if not run.is_done or lang not in services.LANGUAGES or fmt not in FORMAT_NAMES:
        raise Http404("not found")
    if region not in _visible_regions(request, run):
        raise Http404("not found")
    path = services.evaluation_run_product(
        run=run, product="factsheet", lang=lang, fmt=fmt, region=region
    )
    return _download(path, run)


@login_required
@require_GET
def run_report(request: HttpRequest, run_id: int, lang: str, fmt: str) -> FileResponse:
    """The final report of a finished run, as a download (rendered on first request)."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id)
    if lang not in services.LANGUAGES or fmt not in services.FORMATS or not run.is_done:
        raise Http404("not found")
    return _download(services.evaluation_run_report(run=run, lang=lang, fmt=fmt), run)


@login_required
@require_GET
def run_cost_benefit(request: HttpRequest, run_id: int) -> HttpResponse:
    """The cost–benefit analysis of a run for a region, with prices the user may change."""
    run = access.evaluation_run_get(user=request.user, run_id=run_id, cost_benefit=True)
    researcher = is_researcher(request.user)
    context: dict[str, object] = {"run": run, "researcher": researcher, "page": None}
    if not run.is_done:
        return render(request, "runs/cost_benefit.html", context)
    regions = access.cost_benefit_regions(user=request.user, regions=run_regions(run=run))
    region_id = request.GET.get("region", "" if researcher else next(iter(regions), ""))
    access.cost_benefit_region_check(user=request.user, region_id=region_id)
    if region_id and region_id not in regions:
        raise Http404("not found")
    lang = _lang()
    data = request.GET if "region" in request.GET else None
    form = forms.CostBenefitForm(
        data,
        initial={"region": region_id},
        specs=parameter_specs(lang=lang),
        regions=regions,
        allow_all=researcher,
    )
    context |= {"form": form, "region_id": region_id, "region_name": regions.get(region_id)}
    if data is None or form.is_valid():
        overrides = form.overrides() if data is not None else {}
        try:
            context["page"] = cost_benefit_for_run(
                run=run, region_id=region_id or None, overrides=overrides, lang=lang
            )
            context["suppressed"] = context["page"] is None
        except RunError as exc:
            context["problem"] = _error_text(exc)
        context["changed"] = form.changed() if data is not None else []
    return render(request, "runs/cost_benefit.html", context)
