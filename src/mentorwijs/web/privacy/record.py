"""The record of processing (GDPR art. 30) for the municipality's privacy officer.

Generated, not written by hand: the activities, purposes and legal bases come from
``processing.yaml``; the tables and their columns from the models' schemas; the retention
periods from the settings and the study's end date. ``mentorwijs manage processing_record``
prints it as Markdown; researchers read it at ``/privacy/verwerkingsregister/``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.utils import translation

SPEC = Path(__file__).with_name("processing.yaml")


@dataclass(frozen=True)
class Table:
    """A table of an activity: its name in the database and its columns as (name, label)."""

    label: str
    db_table: str
    verbose_name: str
    columns: list[tuple[str, str]]


@dataclass(frozen=True)
class Activity:
    key: str
    name: str
    subjects: str
    purpose: str
    basis: str
    retention: str
    recipients: str
    safeguards: str
    tables: list[Table]


def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def classified_models() -> dict[str, str]:
    """``app_label.Model`` → activity key, as ``processing.yaml`` names them."""
    return {model: a["key"] for a in _spec()["activities"] for model in a["models"]}


def unclassified_models() -> list[str]:
    """Models of the site that no activity names (each must be named: see the tests)."""
    named = classified_models()
    return sorted(m._meta.label for m in apps.get_models() if m._meta.label not in named)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def study_end() -> date | None:
    """The end of the study: the study metadata's ``study_end``, else ``MENTORWIJS_STUDY_END``."""
    from mentorwijs.web.study.selectors import study_meta

    raw = str((study_meta() or {}).get("study_end") or settings.MENTORWIJS_STUDY_END or "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def erase_after() -> date | None:
    """The first day on which identities are erased (study end + the retention period)."""
    end = study_end()
    return _add_months(end, settings.MENTORWIJS_RETENTION_MONTHS) if end else None


def _retention(kind: str, lang: str) -> str:
    months = settings.MENTORWIJS_RETENTION_MONTHS
    end, erase = study_end(), erase_after()
    nl = lang == "nl"
    if kind == "identities":
        if end is None:
            return (
                f"{months} maanden na het einde van het onderzoek; de einddatum is nog niet "
                "ingesteld (MENTORWIJS_STUDY_END of 'study_end' in de studiemetadata)."
                if nl
                else f"{months} months after the study ends; the end date is not set yet "
                "(MENTORWIJS_STUDY_END or 'study_end' in the study metadata)."
            )
        return (
            f"{months} maanden na het einde van het onderzoek ({end.isoformat()}): gewist "
            f"vanaf {erase.isoformat() if erase else ''} door `mentorwijs manage "
            "erase_identities` (dagelijks uit cron), vastgelegd in het logboek."
            if nl
            else f"{months} months after the study ends ({end.isoformat()}): erased from "
            f"{erase.isoformat() if erase else ''} by `mentorwijs manage erase_identities` "
            "(daily from cron), recorded in the audit trail."
        )
    if kind == "study":
        return (
            "Als onderzoeksdata volgens het datamanagementplan (bijv. 10 jaar, Nederlandse "
            "gedragscode wetenschappelijke integriteit); gepseudonimiseerd, niet door de "
            "software gewist. Antwoorden van wie de toestemming intrekt worden gewist."
            if nl
            else "As research data under the data management plan (e.g. 10 years, Netherlands "
            "Code of Conduct for Research Integrity); pseudonymised, not erased by the software. "
            "Answers of people who withdraw consent are erased."
        )
    if kind == "accounts":
        return (
            "Zolang het account nodig is; het logboek zo lang als de onderzoeksdata."
            if nl
            else "As long as the account is needed; the audit trail as long as the research data."
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Tot een geslaagde inlog of {minutes} minuten; oude regels wissen met `mentorwijs "
        "manage axes_reset_logs --age 90`."
        if nl
        else f"Until a successful login or {minutes} minutes; old rows are removed with "
        "`mentorwijs manage axes_reset_logs --age 90`."
    )


def _table(label: str) -> Table | None:
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    columns = [
        (f.column, str(getattr(f, "verbose_name", f.name))) for f in model._meta.concrete_fields
    ]
    return Table(label, model._meta.db_table, str(model._meta.verbose_name), columns)


def processing_record(*, lang: str = "nl") -> tuple[str, list[Activity]]:
    """The controller and the activities, in ``lang`` (``nl`` or ``en``)."""
    spec = _spec()
    with translation.override(lang):
        activities = [
            Activity(
                key=a["key"],
                name=a["name"][lang],
                subjects=a["subjects"][lang],
                purpose=a["purpose"][lang],
                basis=a["basis"][lang],
                retention=_retention(a["retention"], lang),
                recipients=a["recipients"][lang],
                safeguards=a["safeguards"][lang],
                tables=[t for t in (_table(label) for label in a["models"]) if t],
            )
            for a in spec["activities"]
        ]
    return spec["controller"][lang], activities


def processing_record_markdown(*, lang: str = "nl") -> str:
    """The record as a Markdown document."""
    controller, activities = processing_record(lang=lang)
    nl = lang == "nl"
    heads = (
        ("Betrokkenen", "Doel", "Grondslag", "Bewaartermijn", "Ontvangers", "Maatregelen")
        if nl
        else ("Data subjects", "Purpose", "Legal basis", "Retention", "Recipients", "Safeguards")
    )
    lines = [
        "# "
        + ("Register van verwerkingen: Mentorwijs" if nl else "Record of processing: Mentorwijs"),
        "",
        ("Verwerkingsverantwoordelijke: " if nl else "Controller: ") + controller,
        "",
        (
            "Gemaakt uit de tabellen van de database en de instellingen; de teksten zijn "
            "voorstellen die de privacy officer bevestigt."
            if nl
            else "Generated from the database tables and the settings; the texts are proposals "
            "for the privacy officer to confirm."
        ),
    ]
    for activity in activities:
        lines += ["", f"## {activity.name}", ""]
        values = (
            activity.subjects,
            activity.purpose,
            activity.basis,
            activity.retention,
            activity.recipients,
            activity.safeguards,
        )
        lines += [f"- **{head}**: {value}" for head, value in zip(heads, values, strict=True)]
        lines += [
            "",
            "| " + ("tabel" if nl else "table") + " | " + ("gegevens" if nl else "data") + " |",
            "|---|---|",
        ]
        for table in activity.tables:
            cols = ", ".join(f"{label} (`{col}`)" for col, label in table.columns)
            lines.append(f"| {table.verbose_name} (`{table.db_table}`) | {cols} |")
    return "\n".join(lines) + "\n"
