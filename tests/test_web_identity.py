"""Identities stay apart: the study data package export never contains them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TINY_META
from mentorwijs.studydata import read_package
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, world_build
from mentorwijs.web.study.models import StudyMeta
from mentorwijs.web.study.selectors import package_export


@pytest.mark.django_db
def test_the_package_export_contains_no_identity_values(tmp_path: Path) -> None:
    world_build()  # people with names, e-mail, phone and postal address in the registry
    StudyMeta.objects.create(meta=TINY_META)
    out = package_export(out=tmp_path / "export")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()) if p.is_file())
    assert "S-ANNA" in text  # the pseudonym travels ...
    leaked = [value for value in IDENTITY_SECRETS if value in text]
    assert not leaked  # ... the identity never does
    package = read_package(out)
    assert set(package.tables["supervisors"]["supervisor_id"]) == {"S-ANNA", "S-BRAM", "S-CARLA"}
