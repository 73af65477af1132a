"""The demo study in the registry: `mentorwijs serve` shows the demo region to its coordinator."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from mentorwijs.simulation import simulate_package
from mentorwijs.web import commands
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.study import models as m


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate_package(tmp_path_factory.mktemp("demo-registry") / "pkg", seed=7)


@pytest.mark.django_db(transaction=True)
def test_the_demo_users_see_the_demo_region_and_their_own_pages(simulated: Path) -> None:
    commands.load(simulated, replace=True, extra_meta={"demo": True})
    pairs = dict(commands.ensure_demo_users())
    assert next(iter(pairs)) == commands.DEMO_RESEARCHER  # the first login printed stays the same
    assert set(pairs) == {"onderzoeker", "coordinator", "trainer", "werkgever"}
    user = authenticate(
        RequestFactory().post("/inloggen/"), username="coordinator", password=pairs["coordinator"]
    )
    assert user is not None
    client = Client()
    verified_login(client, user)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/registratie/", 302)]
    page = response.content.decode()
    role = user.study_roles.get()
    region = m.Region.objects.get(pk=role.region_id)
    assert f"Dashboard: {region.name}" in page
    own = set(m.TrainingGroup.objects.filter(region=region).values_list("pk", flat=True))
    other = set(m.TrainingGroup.objects.exclude(region=region).values_list("pk", flat=True))
    assert own
    assert all(f">{g}<" in page for g in own)
    assert not any(f">{g}<" in page for g in other)
    group = sorted(own)[0]
    assert client.get(f"/registratie/groepen/{group}/").status_code == 200
    if other:
        assert client.get(f"/registratie/groepen/{sorted(other)[0]}/").status_code == 404

    for username, start in (
        ("trainer", "/registratie/trainer/"),
        ("werkgever", "/registratie/organisatie/"),
    ):
        visitor = Client()
        assert visitor.login(
            request=RequestFactory().post("/inloggen/"), username=username, password=pairs[username]
        )
        response = visitor.get("/")
        assert (response.status_code, response["Location"]) == (302, start)
        assert visitor.get(start, follow=True).status_code == 200
    # `mentorwijs demo` run again replaces the study; the registry rows pointing at it go too.
    commands.load(simulated, replace=True, extra_meta={"demo": True})
    assert len(commands.ensure_demo_users()) == 4
