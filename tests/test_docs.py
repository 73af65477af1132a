"""Generated reference pages must match the code (run `make docs` after a change)."""

from __future__ import annotations

import pytest

from mentorwijs.cli.docs import DOCS, PAGES


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_is_up_to_date(name: str) -> None:
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == PAGES[name](), f"docs/{name} is stale: run `make docs`"


def test_every_table_and_column_is_documented() -> None:
    from mentorwijs.studydata import table_specs

    page = (DOCS / "study-data-package.md").read_text(encoding="utf-8")
    for spec in table_specs().values():
        assert f"## `{spec.name}`" in page
        for field in spec.fields:
            assert field.description, f"{spec.name}.{field.name} has no description"
            assert f"| `{field.name}` |" in page


def test_every_evaluation_setting_is_documented() -> None:
    from mentorwijs.evaluation.steps import DEFAULT_SETTINGS

    page = (DOCS / "evaluation.md").read_text(encoding="utf-8")
    for name in DEFAULT_SETTINGS:
        assert f"| `{name}` |" in page, f"setting {name} is missing from docs/evaluation.md"
