"""The site and the interview columns it cannot store yet (wave, coder, region_id)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import TINY_META
from mentorwijs.simulation import simulate_study
from mentorwijs.simulation.interviews import simulate_interviews
from mentorwijs.studydata import coerce_table, write_package
from mentorwijs.web.errors import UnstorableColumnsError
from mentorwijs.web.study import models as m
from mentorwijs.web.study.services import package_load


@pytest.mark.django_db(transaction=True)
def test_a_package_filling_interview_columns_the_site_lacks_is_refused(tmp_path: Path) -> None:
    study = simulate_study(seed=5)
    tables = dict(study.tables)
    coded = simulate_interviews(np.random.default_rng(1), tables, details=True, double_coded=2)
    tables["interview_segments"] = coerce_table("interview_segments", coded.segments)
    path = write_package(tmp_path / "p", tables, meta=study.meta)
    with pytest.raises(UnstorableColumnsError, match="coder, region_id, wave") as err:
        package_load(path=path)
    assert "niets opgeslagen" in err.value.message_nl
    # All or nothing: not a row was stored.
    assert m.Region.objects.count() == 0
    assert m.InterviewSegment.objects.count() == 0
    # The same package with those columns empty loads.
    tables["interview_segments"] = tables["interview_segments"].assign(
        wave=None, coder=None, region_id=None
    )
    path = write_package(tmp_path / "q", tables, meta={**TINY_META, **study.meta})
    assert package_load(path=path)["interview_segments"] == len(coded.segments)
