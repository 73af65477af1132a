"""Bulk import: upload → preview and column mapping → row-by-row check → commit, all or nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from mentorwijs.web.errors import ImportRowsError
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry import services
from mentorwijs.web.registry.crypto import lookup_digest
from mentorwijs.web.registry.imports.kinds import KINDS, CellError, Field, cell_parse
from mentorwijs.web.registry.imports.reading import table_read
from mentorwijs.web.registry.preferences import Preferences
from mentorwijs.web.study import models as m


@dataclass(frozen=True)
class RowProblem:
    """One problem: the spreadsheet row (1 is the header; 0 the file as a whole), the column."""

    row: int
    column: str
    message: str


@transaction.atomic
def import_batch_create(
    *, user: Any, region: m.Region, kind: str, filename: str, content: bytes
) -> r.ImportBatch:
    """Read an uploaded file and keep its rows until the person commits or leaves.

    Raises ``ImportFileError`` when the file cannot be read as a table.
    """
    header, rows = table_read(filename=filename, content=content)
    return r.ImportBatch.objects.create(
        created_by=user, region=region, kind=kind, filename=filename, header=header, rows=rows
    )


def _digest(value: str) -> str:
    """The lookup digest of a name or e-mail address (never matches an empty digest)."""
    return lookup_digest(value) or "-"


class _Resolver:
    """Finds what a ``ref`` cell names, by pseudonym, name or e-mail, within the region."""

    def __init__(self, region: m.Region) -> None:
        self.region = region

    def organisation(self, value: str) -> m.Organisation | None:
        return (
            m.Organisation.objects.filter(region=self.region, kind="employer")
            .filter(Q(pk=value) | Q(identity__name_digest=_digest(value)))
            .first()
        )

    def provider(self, value: str) -> m.Organisation | None:
        return (
            m.Organisation.objects.filter(kind="provider")
            .filter(Q(pk=value) | Q(identity__name_digest=_digest(value)))
            .first()
        )

    def supervisor(self, value: str) -> m.Supervisor | None:
        return (
            m.Supervisor.objects.filter(organisation__region=self.region)
            .filter(Q(pk=value) | Q(identity__email_digest=_digest(value)))
            .select_related("organisation")
            .first()
        )

    def trainer(self, value: str) -> m.Trainer | None:
        return m.Trainer.objects.filter(
            Q(pk=value)
            | Q(identity__name_digest=_digest(value))
            | Q(identity__email_digest=_digest(value))
        ).first()


#: field → the ``_Resolver`` method that finds what its cell names.
REFS = {
    "organisation": "organisation",
    "provider": "provider",
    "trainer_1": "trainer",
    "trainer_2": "trainer",
    "supervisor": "supervisor",
}


def _mapping_problems(kind: str, header: list[str], mapping: dict[str, str]) -> list[RowProblem]:
    problems = []
    for field in KINDS[kind]:
        column = mapping.get(field.name, "")
        if column and column not in header:
            problems.append(RowProblem(0, column, gettext("This column is not in the file.")))
        elif field.required and not column:
            problems.append(
                RowProblem(
                    0,
                    str(field.label),
                    gettext("Choose the column that holds “%(field)s”: it is required.")
                    % {"field": field.label},
                )
            )
    used = [c for c in mapping.values() if c]
    for column in sorted({c for c in used if used.count(c) > 1}):
        problems.append(
            RowProblem(0, column, gettext("This column is chosen for more than one field."))
        )
    return problems


def _ref(resolver: _Resolver, field: Field, value: str) -> Any:
    found = getattr(resolver, REFS[field.name])(value)
    if found is None:
        raise CellError(
            gettext("No %(what)s “%(value)s” is registered in this region.")
            % {"what": str(field.label).lower(), "value": value}
        )
    return found


def import_rows_check(
    *, batch: r.ImportBatch, mapping: dict[str, str]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowProblem]]:
    """Read every row with the mapping: (row number, values) and the problems found."""
    problems = _mapping_problems(batch.kind, batch.header, mapping)
    if problems:
        return [], problems
    fields = KINDS[batch.kind]
    index = {f.name: batch.header.index(mapping[f.name]) for f in fields if mapping.get(f.name)}
    resolver = _Resolver(batch.region)
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row_no, row in enumerate(batch.rows, start=2):
        if not any(row):
            continue
        values: dict[str, Any] = {}
        for field in fields:
            raw = row[index[field.name]] if field.name in index else ""
            try:
                value = cell_parse(field, raw)
                if field.parse == "ref" and value is not None:
                    value = _ref(resolver, field, value)
            except CellError as exc:
                problems.append(
                    RowProblem(row_no, mapping.get(field.name) or str(field.label), str(exc))
                )
                continue
            values[field.name] = value
        if batch.kind == "training_groups":
            problems += _trainer_problems(row_no, values, mapping)
        parsed.append((row_no, values))
    problems += _duplicates(batch, parsed, mapping)
    return parsed, sorted(problems, key=lambda p: (p.row, p.column))


def _trainer_problems(
    row_no: int, values: dict[str, Any], mapping: dict[str, str]
) -> list[RowProblem]:
    """Two different trainers, both working for the group's provider."""
    out = []
    provider = values.get("provider")
    one, two = values.get("trainer_1"), values.get("trainer_2")
    if one is not None and one == two:
        out.append(
            RowProblem(row_no, mapping["trainer_2"], gettext("Choose two different trainers."))
        )
    for name, trainer in (("trainer_1", one), ("trainer_2", two)):
        if provider is not None and trainer is not None and trainer.provider_id != provider.pk:
            out.append(
                RowProblem(
                    row_no,
                    mapping[name],
                    gettext("This trainer does not work for the chosen provider."),
                )
            )
    return out


def _duplicates(
    batch: r.ImportBatch, parsed: list[tuple[int, dict[str, Any]]], mapping: dict[str, str]
) -> list[RowProblem]:
    """The same person or organisation twice in the file, or already registered."""
    if batch.kind not in ("organisations", "supervisors", "employees"):
        return []
    key_field = "name" if batch.kind == "organisations" else "email"
    seen: dict[str, list[int]] = defaultdict(list)
    for row_no, values in parsed:
        if values.get(key_field):
            seen[values[key_field].lower()].append(row_no)
    problems = []
    for value, rows in seen.items():
        for row_no in rows[1:]:
            problems.append(
                RowProblem(
                    row_no,
                    mapping[key_field],
                    gettext("“%(value)s” is already in row %(row)s of this file.")
                    % {"value": value, "row": rows[0]},
                )
            )
    if batch.kind == "organisations":
        # Compared by digest (the names are encrypted): exact, ignoring case and spacing.
        known = set(
            r.OrganisationIdentity.objects.filter(
                organisation__region=batch.region,
                name_digest__in=[_digest(v["name"]) for _, v in parsed if v.get("name")],
            ).values_list("name_digest", flat=True)
        )
        for row_no, values in parsed:
            if values.get("name") and _digest(values["name"]) in known:
                problems.append(
                    RowProblem(
                        row_no,
                        mapping["name"],
                        gettext("“%(value)s” is already registered in this region.")
                        % {"value": values["name"]},
                    )
                )
    return problems


def _identity(values: dict[str, Any]) -> services.IdentityData:
    return services.IdentityData(
        values["name"],
        values.get("email") or "",
        values.get("phone") or "",
        values.get("postal_address") or "",
    )


def _preferences(values: dict[str, Any]) -> Preferences:
    return Preferences(
        language=values.get("language") or "nl", easy_read=bool(values.get("easy_read"))
    )


def _store(batch: r.ImportBatch, values: dict[str, Any]) -> None:
    kind, region = batch.kind, batch.region
    if kind == "organisations":
        services.organisation_create(
            region=region,
            kind=values["kind"],
            identity=_identity(values),
            sector=values.get("sector"),
            size_class=values.get("size_class"),
            sheltered=values.get("sheltered"),
        )
    elif kind == "supervisors":
        services.supervisor_create(
            organisation=values["organisation"],
            identity=_identity(values),
            preferences=_preferences(values),
            sex=values.get("sex"),
            age=values.get("age"),
            years_experience=values.get("years_experience"),
            employees_guided=values.get("employees_guided"),
        )
    elif kind == "employees":
        services.employee_create(
            supervisor=values["supervisor"],
            identity=_identity(values),
            preferences=_preferences(values),
            consent_questionnaire=values["consent_questionnaire"],
            consent_register=values["consent_register"],
            sex=values.get("sex"),
            age=values.get("age"),
            disability=values.get("disability"),
        )
    else:
        first = values["start_date"]
        plans = [
            services.MeetingPlan(
                first + timedelta(weeks=i), values.get("start_time"), values.get("place") or ""
            )
            for i in range(services.MEETINGS_PER_GROUP)
        ]
        services.training_group_create(
            region=region,
            provider=values["provider"],
            trainer_1=values["trainer_1"],
            trainer_2=values.get("trainer_2"),
            mode=values["mode"],
            capacity=values["capacity"],
            meetings=plans,
        )


@transaction.atomic
def import_batch_commit(*, batch: r.ImportBatch, mapping: dict[str, str]) -> int:
    """Store every row of the batch, or none: one bad row and nothing is stored.

    Raises
    ------
    ImportRowsError
        With the problems found; the database is left as it was.
    """
    batch = r.ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.committed_at is not None:
        raise ImportRowsError([RowProblem(0, "", gettext("This file has already been imported."))])
    parsed, problems = import_rows_check(batch=batch, mapping=mapping)
    if problems:
        raise ImportRowsError(list(problems))
    for _row_no, values in parsed:
        _store(batch, values)
    batch.mapping = mapping
    batch.committed_at = timezone.now()
    batch.save(update_fields=["mapping", "committed_at"])
    return len(parsed)
