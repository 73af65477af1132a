"""The demo's questionnaires: a group about to start in the demo region, T0 invitations for
fictitious people in both languages and reading modes, and a second demo run that replaces
them (``mentorwijs demo`` runs these in-process after the products; ``tests/test_demo.py``
runs the command itself)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from mentorwijs.simulation import simulate_package
from mentorwijs.web import commands
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.registry.demo import (
    demo_invitations_create,
    demo_questionnaires_clear,
    demo_region,
)
from mentorwijs.web.registry.preferences import preferences_of
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.models import Consent, Link


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate_package(tmp_path_factory.mktemp("demo-questionnaires") / "pkg", seed=7)


@pytest.mark.slow  # two loads of a simulated study: about a minute on a shared machine
@pytest.mark.django_db(transaction=True)
def test_the_demo_invites_its_upcoming_group_and_a_second_run_starts_afresh(
    simulated: Path, settings
) -> None:
    settings.MENTORWIJS_SITE_URL = "http://127.0.0.1:8000"
    commands.load(simulated, replace=True, extra_meta={"demo": True})
    groups = m.TrainingGroup.objects.count()
    now = timezone.now()
    made = demo_invitations_create(now=now)
    assert [(d.role, d.name, d.language, d.easy_read, d.channel) for d in made] == [
        ("supervisor", "Sanne de Wit", "nl", False, "email"),
        ("supervisor", "Mark Peters", "en", False, "email"),
        ("employee", "Eva Jansen", "nl", True, "letter"),
        ("employee", "Sam Okafor", "en", True, "letter"),
    ]
    # The links follow the preferences the registry holds for each person.
    for d in made:
        held = preferences_of(role=d.role, respondent_id=d.respondent_id)
        assert (held.language, held.easy_read) == (d.language, d.easy_read)
        assert d.url.startswith("http://127.0.0.1:8000/v/")
    # One new group in the demo region, its first meeting a week away; nothing sent.
    group = m.TrainingGroup.objects.get(start_date__gte=timezone.localdate(now))
    assert m.TrainingGroup.objects.count() == groups + 1
    assert group.region == demo_region()
    assert group.start_date == timezone.localdate(now) + timedelta(days=7)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}

    # Sam answers the consent question: his page is English and easy-read.
    sam = made[3]
    path = sam.url.removeprefix("http://127.0.0.1:8000")
    start = Client().get(path).content.decode()
    assert '<html lang="en">' in start
    assert Client().post(path, {"consent": "yes"}).status_code == 302
    assert Consent.objects.filter(respondent_id=sam.respondent_id).exists()

    # `mentorwijs demo` again: the old links, deliveries and consent go, the study is
    # reloaded, and the upcoming group is invited afresh.
    assert demo_questionnaires_clear() == 4
    commands.load(simulated, replace=True, extra_meta={"demo": True})
    assert (Link.objects.count(), Delivery.objects.count(), Consent.objects.count()) == (0, 0, 0)
    assert m.TrainingGroup.objects.count() == groups
    again = demo_invitations_create(now=now)
    assert len(again) == 4
    assert {d.url for d in again}.isdisjoint({d.url for d in made})
