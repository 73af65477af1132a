"""Employees, placements and municipalities as the coordinator keeps them in the site.

Each page is reached through its access helper: a coordinator of another region gets a 404
and learns nothing, and nothing changes when they post; a researcher sees employees and
placements pseudonymised unless they hold an identity grant.
"""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.test import Client

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.errors import NotInRegionError, SupervisorNotAtEmployerError
from mentorwijs.web.registry import services, services_employment
from mentorwijs.web.registry.audit import audit_changes
from mentorwijs.web.registry.models import EmployeeIdentity, Municipality, Placement, Role
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, OWN_SECRETS, World, world_build
from mentorwijs.web.study import models as m

pytestmark = pytest.mark.django_db

EVA_FORM = {"name": "Eva Bakker", "email": "eva.bakker@mail.example", "phone": "06-44455566",
            "postal_address": "Kerkplein 7, 4001 BB Tiel", "supervisor": "S-ANNA",
            "consent_questionnaire": "on", "consent_register": "on"}  # fmt: skip
PLACEMENT_FORM = {"employee": "E-EVA", "organisation": "O-KORENAAR", "supervisor": "S-BRAM",
                  "start_date": "2026-09-01", "hours_per_week": "32", "contract": "permanent",
                  "job_coach": "on"}  # fmt: skip


@pytest.fixture
def world(db) -> World:
    return world_build()


def client_for(world: World, username: str, lang: str = "nl") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    verified_login(client, world.users[username])
    return client


def assert_learns_nothing(body: bytes) -> None:
    text = body.decode(errors="replace")
    leaked = [s for s in OWN_SECRETS if s in text]
    assert not leaked, leaked


# --- employees ---------------------------------------------------------------------------


def test_it_lists_the_regions_employees_with_supervisor_and_current_employer(world) -> None:
    page = client_for(world, "coordinator_own").get("/registratie/medewerkers/").content.decode()
    assert "Eva Bakker" in page
    assert "Anna de Vries" in page
    assert "Bakkerij De Korenaar" in page  # her current placement
    assert "Dirk Visser" not in page  # another region's employee


def test_it_registers_an_employee_with_the_identity_apart(world: World) -> None:
    response = client_for(world, "coordinator_own").post(
        "/registratie/medewerkers/nieuw/",
        EVA_FORM | {"name": "Joris Kok", "email": "joris@mail.example", "phone": "+31 6 1234 5678",
                    "supervisor": "S-BRAM", "sex": "m", "age": "23", "disability": "intellectual",
                    "consent_register": ""},
    )  # fmt: skip
    assert response.status_code == 302
    identity = EmployeeIdentity.objects.by_name("Joris Kok").get()
    employee = identity.employee
    assert response["Location"] == f"/registratie/medewerkers/{employee.pk}/"
    assert employee.pk.startswith("E-")
    assert (employee.supervisor_id, employee.age, employee.disability) == (
        "S-BRAM",
        23,
        "intellectual",
    )
    assert (employee.consent_questionnaire, employee.consent_register) == (True, False)
    assert identity.phone == "+31 6 1234 5678"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Dit veld is verplicht."),
        ({"phone": "bel me"}, "Vul een telefoonnummer in"),
        ({"age": "9"}, "Zorg ervoor dat deze waarde minstens 15 is."),
        ({"supervisor": "S-CARLA"}, "Selecteer een geldige keuze."),  # another region's
    ],
)
def test_a_wrong_employee_is_refused_in_dutch_and_nothing_is_stored(world, change, message):
    response = client_for(world, "coordinator_own").post(
        "/registratie/medewerkers/nieuw/", EVA_FORM | {"name": "Nieuw Iemand"} | change
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert m.Employee.objects.count() == 2


def test_the_employee_form_speaks_english_when_asked(world: World) -> None:
    response = client_for(world, "coordinator_own", lang="en").post(
        "/registratie/medewerkers/nieuw/", EVA_FORM | {"phone": "call me"}
    )
    page = response.content.decode()
    assert "Register an employee" in page
    assert "Enter a phone number of digits" in page


def test_it_changes_an_employee_and_the_audit_trail_has_before_and_after(world: World) -> None:
    client = client_for(world, "coordinator_own")
    response = client.post(
        "/registratie/medewerkers/E-EVA/wijzigen/",
        EVA_FORM | {"supervisor": "S-BRAM", "email": "eva@nieuw.example", "age": "31"},
    )
    assert response.status_code == 302
    world.eva.refresh_from_db()
    assert (world.eva.supervisor_id, world.eva.age) == ("S-BRAM", 31)
    identity = EmployeeIdentity.objects.get(employee=world.eva)
    entry = (
        LogEntry.objects.get_for_object(identity)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert "eva" not in str(entry.changes_dict)  # encrypted in the trail, as in the table
    assert audit_changes(entry=entry, identities=True) == [
        ("email", "eva.bakker@mail.example", "eva@nieuw.example")
    ]
    assert entry.actor == world.users["coordinator_own"]


def test_another_region_cannot_see_or_change_an_employee(world: World) -> None:
    client = client_for(world, "coordinator_other")
    for url in ("/registratie/medewerkers/E-EVA/", "/registratie/medewerkers/E-EVA/wijzigen/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_learns_nothing(response.content)
    response = client.post(
        "/registratie/medewerkers/E-EVA/wijzigen/", EVA_FORM | {"name": "Gekaapt"}
    )
    assert response.status_code == 404
    assert EmployeeIdentity.objects.get(employee=world.eva).name == "Eva Bakker"
    listing = client.get("/registratie/medewerkers/")
    assert "Dirk Visser" in listing.content.decode()
    assert_learns_nothing(listing.content)


def test_a_researcher_sees_an_employee_pseudonymised_unless_granted(world: World) -> None:
    client = client_for(world, "researcher")
    page = client.get("/registratie/medewerkers/E-EVA/").content.decode()
    assert "E-EVA" in page
    assert not [s for s in IDENTITY_SECRETS if s in page]
    services.role_grant(user=world.users["researcher"], role=Role.RESEARCHER, identity_grant=True)
    page = client.get("/registratie/medewerkers/E-EVA/").content.decode()
    assert "Eva Bakker" in page
    assert "06-44455566" in page


def test_moving_an_employee_to_another_regions_supervisor_is_refused(world: World) -> None:
    with pytest.raises(NotInRegionError):
        services_employment.employee_update(
            employee=world.eva, identity=services.IdentityData("Eva Bakker"), supervisor=world.carla
        )
    world.eva.refresh_from_db()
    assert world.eva.supervisor_id == "S-ANNA"


# --- placements --------------------------------------------------------------------------


def test_it_places_an_employee_and_shows_the_placement(world: World) -> None:
    client = client_for(world, "coordinator_own")
    form = client.get("/registratie/plaatsingen/nieuw/?employee=E-EVA").content.decode()
    assert '<option value="E-EVA" selected>' in form
    response = client.post("/registratie/plaatsingen/nieuw/", PLACEMENT_FORM)
    assert response.status_code == 302
    placement = Placement.objects.exclude(
        pk__in=[world.placement.pk, world.other_placement.pk]
    ).get()
    assert response["Location"] == f"/registratie/plaatsingen/{placement.pk}/"
    assert (placement.supervisor_id, placement.hours_per_week, placement.contract) == (
        "S-BRAM", 32, "permanent",
    )  # fmt: skip
    assert (placement.wage_subsidy, placement.job_coach, placement.end_date) == (False, True, None)
    page = client.get(response["Location"]).content.decode()
    assert "Eva Bakker" in page
    assert "Bram Jansen" in page
    assert "Bakkerij De Korenaar" in page
    listing = client.get("/registratie/plaatsingen/").content.decode()
    assert listing.count("Eva Bakker") == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_date": "2026-08-01"}, "De einddatum kan niet voor de begindatum liggen."),
        ({"hours_per_week": "70"}, "Een werkweek heeft hoogstens 60 uur."),
        ({"hours_per_week": "0"}, "Zorg ervoor dat deze waarde minstens 0.5 is."),
        ({"supervisor": "S-CARLA"}, "Selecteer een geldige keuze."),
        ({"employee": "E-DIRK"}, "Selecteer een geldige keuze."),
        ({"organisation": "O-VALLEI"}, "Selecteer een geldige keuze."),
        ({"contract": "forever"}, "Selecteer een geldige keuze."),
        ({"start_date": ""}, "Dit veld is verplicht."),
    ],
)
def test_a_wrong_placement_is_refused_and_nothing_is_stored(world, change, message) -> None:
    response = client_for(world, "coordinator_own").post(
        "/registratie/plaatsingen/nieuw/", PLACEMENT_FORM | change
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Placement.objects.count() == 2


def test_a_supervisor_of_another_employer_is_refused_in_form_and_service(world: World) -> None:
    other_employer = services.organisation_create(
        region=world.own_employer.region, kind="employer",
        identity=services.IdentityData("Kwekerij Het Veld"),
    )  # fmt: skip
    response = client_for(world, "coordinator_own").post(
        "/registratie/plaatsingen/nieuw/", PLACEMENT_FORM | {"organisation": other_employer.pk}
    )
    assert "Deze leidinggevende werkt niet bij de gekozen werkgever." in response.content.decode()
    with pytest.raises(SupervisorNotAtEmployerError):
        services_employment.placement_create(
            employee=world.eva, organisation=other_employer, supervisor=world.bram,
            start_date=date(2026, 9, 1), hours_per_week=32, contract="permanent",
        )  # fmt: skip
    assert Placement.objects.count() == 2


def test_it_ends_a_placement_and_the_audit_trail_shows_it(world: World) -> None:
    client = client_for(world, "coordinator_own")
    url = f"/registratie/plaatsingen/{world.placement.pk}/wijzigen/"
    page = client.get(url).content.decode()
    assert "Eva Bakker" in page
    assert 'name="employee"' not in page  # the employee of a placement stays
    response = client.post(
        url,
        {"organisation": "O-KORENAAR", "supervisor": "S-ANNA", "start_date": "2026-03-01",
         "end_date": "2026-12-31", "hours_per_week": "24", "contract": "temporary",
         "wage_subsidy": "on", "job_coach": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    world.placement.refresh_from_db()
    assert world.placement.end_date == date(2026, 12, 31)
    entry = LogEntry.objects.get_for_object(world.placement).latest("timestamp")
    assert entry.changes_dict == {"end_date": ["None", "2026-12-31"]}
    assert entry.actor == world.users["coordinator_own"]


def test_another_region_cannot_see_or_change_a_placement(world: World) -> None:
    client = client_for(world, "coordinator_other")
    base = f"/registratie/plaatsingen/{world.placement.pk}/"
    for url in (base, base + "wijzigen/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_learns_nothing(response.content)
    response = client.post(
        base + "wijzigen/",
        {"organisation": "O-VALLEI", "supervisor": "S-CARLA", "start_date": "2026-03-01",
         "hours_per_week": "1", "contract": "other"},
    )  # fmt: skip
    assert response.status_code == 404
    world.placement.refresh_from_db()
    assert (world.placement.hours_per_week, world.placement.contract) == (24, "temporary")
    # Nor can they place an employee of the own region at their employer: the pseudonym
    # they typed is refused like any unknown one, and nothing about her comes back.
    response = client.post(
        "/registratie/plaatsingen/nieuw/",
        PLACEMENT_FORM | {"organisation": "O-VALLEI", "supervisor": "S-CARLA"},
    )
    assert response.status_code == 200
    assert "E-EVA is geen beschikbare keuze" in response.content.decode()
    assert_learns_nothing(response.content.replace(b"E-EVA", b""))
    assert Placement.objects.count() == 2


def test_a_researcher_sees_a_placement_without_names(world: World) -> None:
    page = client_for(world, "researcher").get(f"/registratie/plaatsingen/{world.placement.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "E-EVA" in text
    assert "O-KORENAAR" in text
    assert not [s for s in IDENTITY_SECRETS if s in text]


# --- municipalities ----------------------------------------------------------------------


def test_it_adds_renames_and_lists_municipalities_of_the_region(world: World) -> None:
    client = client_for(world, "coordinator_own")
    response = client.post(
        "/registratie/gemeenten/nieuw/", {"code": " gm0263 ", "name": "Wageningen", "region": "R10"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/registratie/gemeenten/GM0263/"
    assert Municipality.objects.get(pk="GM0263").region_id == "R10"
    client.post(
        "/registratie/gemeenten/GM0263/wijzigen/",
        {"code": "GM9999", "name": "Gemeente  Wageningen", "region": "R10"},
    )
    municipality = Municipality.objects.get(pk="GM0263")  # the code stays
    assert municipality.name == "Gemeente Wageningen"
    assert not Municipality.objects.filter(pk="GM9999").exists()
    listing = client.get("/registratie/gemeenten/").content.decode()
    assert "Gemeente Wageningen" in listing
    assert "GM0281" in listing
    assert "GM0228" not in listing  # another region's


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "0263", "name": "Wageningen", "region": "R10"}, "Vul GM en vier cijfers in"),
        (
            {"code": "GM0281", "name": "Tiel", "region": "R10"},
            "Er is al een gemeente met deze code geregistreerd.",
        ),
        ({"code": "GM0263", "name": "Wageningen", "region": "R11"}, "Selecteer een geldige keuze."),
    ],
)
def test_a_wrong_municipality_is_refused(world: World, data, message) -> None:
    response = client_for(world, "coordinator_own").post("/registratie/gemeenten/nieuw/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Municipality.objects.count() == 2


def test_another_region_cannot_see_or_change_a_municipality(world: World) -> None:
    client = client_for(world, "coordinator_other")
    for url in ("/registratie/gemeenten/GM0281/", "/registratie/gemeenten/GM0281/wijzigen/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_learns_nothing(response.content)
    response = client.post(
        "/registratie/gemeenten/GM0281/wijzigen/", {"name": "Gekaapt", "region": "R11"}
    )
    assert response.status_code == 404
    assert Municipality.objects.get(pk="GM0281").name == "Tiel"


def test_the_dashboard_and_navigation_link_the_new_pages(world: World) -> None:
    page = client_for(world, "coordinator_own").get("/registratie/").content.decode()
    for url in (
        "/registratie/medewerkers/",
        "/registratie/plaatsingen/",
        "/registratie/gemeenten/",
    ):
        assert page.count(f'href="{url}"') == 2  # menu and dashboard
    assert "Medewerkers</a>: 1" in page
