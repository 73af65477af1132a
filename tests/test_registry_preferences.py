"""Each supervisor's and employee's language and reading mode: recorded in the registry,
audited, imported, and used for their invitation (e-mail over a real SMTP server, or letter)
and their questionnaire pages; and the study's contact on the consent page.

The registry is ``registry.testing.world_build`` with both groups' first meeting a week from
today, so T0 is due today and the links are open (see ``tests/test_invitations.py``). Anna
(supervisor) and her employee Eva have e-mail addresses, Carla's employee Dirk gets a letter;
Eva and Dirk read in easy-read mode, everyone in Dutch.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from mentorwijs.protocol import load_protocol
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.invitations import services as invitations
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.schedule import respondents_due
from mentorwijs.web.invitations.testing import Inbox, smtp_server, text_of, token_in
from mentorwijs.web.registry import services
from mentorwijs.web.registry.models import EmployeeIdentity, SupervisorIdentity
from mentorwijs.web.registry.preferences import DEFAULT, Preferences, preferences_of
from mentorwijs.web.registry.testing import ANNA, EVA, World, world_build
from mentorwijs.web.study import models as m
from mentorwijs.web.survey.links import link_for_token, token_for
from mentorwijs.web.survey.models import Link

SRC = Path(__file__).resolve().parent.parent / "src"
SITE = "https://mentorwijs.test"
ANNA_FORM = {
    "name": ANNA["name"], "email": ANNA["email"], "phone": ANNA["phone"],
    "postal_address": ANNA["postal_address"], "organisation": "O-KORENAAR", "sex": "f",
    "age": "44", "years_experience": "12", "employees_guided": "2",
}  # fmt: skip


@pytest.fixture
def world(db: Any) -> World:
    return world_build(start=timezone.localdate() + timedelta(days=7))


@pytest.fixture
def inbox(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "Onderzoek Mentorwijs <onderzoek@mentorwijs.test>"
        settings.MENTORWIJS_SITE_URL = SITE
        yield box


def client_for(world: World, username: str, lang: str = "nl") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    verified_login(client, world.users[username])
    return client


def identity_entries(model: type, pk: str) -> list[LogEntry]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk=pk
        ).order_by("pk")
    )


# --- recorded in the registry ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_is_dutch_in_standard_mode(world: World) -> None:
    supervisor = services.supervisor_create(
        organisation=world.own_employer, identity=services.IdentityData("Noor Yilmaz")
    )
    assert preferences_of(role="supervisor", respondent_id=supervisor.pk) == DEFAULT
    assert Preferences(language="nl", easy_read=False) == DEFAULT
    # Someone without an identity row (a study loaded from a package) has the default too.
    assert preferences_of(role="employee", respondent_id="E-NOBODY") == DEFAULT
    with pytest.raises(ValueError, match="language must be one of"):
        Preferences(language="fr")


@pytest.mark.django_db
def test_a_coordinator_changes_the_preferences_and_the_change_is_audited(world: World) -> None:
    before = len(identity_entries(SupervisorIdentity, "S-ANNA"))
    response = client_for(world, "coordinator_own").post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        ANNA_FORM | {"language": "en", "easy_read": "on"},
    )
    assert response.status_code == 302
    assert preferences_of(role="supervisor", respondent_id="S-ANNA") == Preferences("en", True)
    entries = identity_entries(SupervisorIdentity, "S-ANNA")
    update = [e for e in entries[before:] if e.action == LogEntry.Action.UPDATE]
    assert len(update) == 1
    assert update[0].actor.username == "coordinator_own"
    # Only the two preferences changed; the identity values were posted unchanged.
    assert update[0].changes_dict == {"language": ["nl", "en"], "easy_read": ["False", "True"]}
    # A researcher without an identity grant sees the change of preferences in the trail
    # (they identify nobody) but no name.
    rows = list(
        csv.DictReader(
            io.StringIO(
                client_for(world, "researcher")
                .get("/registratie/logboek.csv", {"object_pk": "S-ANNA"})
                .content.decode()
            )
        )
    )
    changed = {r["field"]: (r["before"], r["after"]) for r in rows if r["action"] == "update"}
    assert changed == {"easy_read": ("False", "True"), "language": ("nl", "en")}


@pytest.mark.django_db
def test_an_employee_registered_in_english_and_easy_read_shows_it_on_the_page(
    world: World,
) -> None:
    coordinator = client_for(world, "coordinator_own")
    form = coordinator.get("/registratie/medewerkers/nieuw/").content.decode()
    assert "Uitnodigingen en vragenlijst" in form
    assert "Voorkeurstaal" in form
    assert "Eén vraag per scherm in korte zinnen" in form  # the help text of easy-read
    response = coordinator.post(
        "/registratie/medewerkers/nieuw/",
        {"name": "Sam Okafor", "supervisor": "S-ANNA", "consent_questionnaire": "on",
         "language": "en", "easy_read": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    employee_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert preferences_of(role="employee", respondent_id=employee_id) == Preferences("en", True)
    created = identity_entries(EmployeeIdentity, employee_id)[0]
    assert created.action == LogEntry.Action.CREATE
    assert created.changes_dict["language"] == ["None", "en"]
    page = coordinator.get(response["Location"]).content.decode()
    assert '<dd lang="en">English</dd>' in page
    assert "<dt>Leesvorm</dt><dd>makkelijk lezen</dd>" in page
    english = client_for(world, "coordinator_own", "en").get(response["Location"]).content.decode()
    assert "<dt>Reading mode</dt><dd>easy-read</dd>" in english
    assert "Invitations and questionnaire" in english


@pytest.mark.django_db
def test_a_researcher_without_a_grant_sees_the_preferences_and_no_read_is_logged(
    world: World,
) -> None:
    EmployeeIdentity.objects.filter(employee=world.eva).update(language="en")
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    page = client_for(world, "researcher").get("/registratie/medewerkers/E-EVA/").content.decode()
    assert '<dd lang="en">English</dd>' in page
    assert "<dd>makkelijk lezen</dd>" in page
    assert EVA["name"] not in page
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == reads


@pytest.mark.django_db
def test_a_form_sent_without_the_preferences_keeps_the_stored_ones(world: World) -> None:
    # A form opened before the preferences existed has neither field; the checkbox's absence
    # must not switch easy-read off, nor the missing language turn English into Dutch.
    SupervisorIdentity.objects.filter(supervisor=world.anna).update(language="en", easy_read=True)
    response = client_for(world, "coordinator_own").post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/", ANNA_FORM | {"age": "45"}
    )
    assert response.status_code == 302
    assert m.Supervisor.objects.get(pk="S-ANNA").age == 45
    assert preferences_of(role="supervisor", respondent_id="S-ANNA") == Preferences("en", True)


@pytest.mark.django_db
def test_an_unknown_language_is_refused_with_a_message_and_nothing_changes(world: World) -> None:
    response = client_for(world, "coordinator_own").post(
        "/registratie/leidinggevenden/S-ANNA/wijzigen/",
        ANNA_FORM | {"name": "Anna Bakker", "language": "fr"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze. fr is geen beschikbare keuze." in response.content.decode()
    identity = SupervisorIdentity.objects.get(pk="S-ANNA")
    assert (identity.name, identity.language) == (ANNA["name"], "nl")


# --- the bulk import --------------------------------------------------------------------------


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(client: Client, rows: list[list[str]], kind: str = "supervisors") -> Any:
    """Upload, accept the proposed column mapping and import."""
    file = SimpleUploadedFile("mensen.csv", _csv(rows))
    started = client.post("/registratie/import/", {"region": "R10", "kind": kind, "file": file})
    url = started["Location"]
    proposed = client.get(url).context["form"].initial
    return client.post(url, proposed | {"action": "commit"})


@pytest.mark.django_db
def test_the_import_reads_the_language_and_the_reading_mode(world: World) -> None:
    coordinator = client_for(world, "coordinator_own")
    done = _import(
        coordinator,
        [
            ["Naam", "E-mail", "Werkgever", "Taal", "Makkelijk lezen"],
            ["Dirk de Boer", "dirk@korenaar.example", "O-KORENAAR", "Engels", "nee"],
            ["Fatima El Amrani", "fatima@korenaar.example", "O-KORENAAR", "", ""],
        ],
    )
    assert done.status_code == 302
    dirk = SupervisorIdentity.objects.by_email("dirk@korenaar.example").get()
    fatima = SupervisorIdentity.objects.by_email("fatima@korenaar.example").get()
    assert (dirk.language, dirk.easy_read) == ("en", False)
    assert (fatima.language, fatima.easy_read) == ("nl", False)  # empty cells: the default
    header = ["Naam", "Leidinggevende", "Toestemming vragenlijst", "Toestemming koppeling"]
    done = _import(
        coordinator,
        [
            [*header, "Voorkeurstaal", "Easy read"],
            ["Gijs Kok", "anna.devries@korenaar.example", "ja", "nee", "nl", "ja"],
        ],
        kind="employees",
    )
    assert done.status_code == 302
    gijs = EmployeeIdentity.objects.by_name("Gijs Kok").get()
    assert (gijs.language, gijs.easy_read) == ("nl", True)


@pytest.mark.parametrize(
    ("lang", "cells", "message"),
    [
        ("nl", ["Frans", "nee"], "“Frans” is geen van de mogelijkheden: nederlands, engels."),
        ("en", ["Frans", "nee"], "“Frans” is not one of the options: nederlands, engels."),
        ("nl", ["nl", "soms"], "“soms” is geen ja of nee."),
        ("en", ["nl", "soms"], "“soms” is not yes or no (ja/nee)."),
    ],
)
@pytest.mark.django_db
def test_a_bad_language_or_reading_mode_in_the_import_is_named_and_nothing_is_stored(
    world: World, lang: str, cells: list[str], message: str
) -> None:
    before = SupervisorIdentity.objects.count()
    response = _import(
        client_for(world, "coordinator_own", lang),
        [
            ["Naam", "E-mail", "Werkgever", "Taal", "Makkelijk lezen"],
            ["Fatima El Amrani", "fatima@korenaar.example", "O-KORENAAR", "en", "ja"],
            ["Dirk de Boer", "dirk@korenaar.example", "O-KORENAAR", *cells],
        ],
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<td>3</td>" in page  # the spreadsheet row (the header is row 1)
    assert SupervisorIdentity.objects.count() == before


# --- links, e-mail, letters and pages ---------------------------------------------------------


def _invite_t0() -> dict[str, Link]:
    for due in respondents_due(now=timezone.now()):
        invitations.invitation_create(due=due, now=timezone.now())
    return {
        (link.invitation.supervisor_id or link.invitation.employee_id): link
        for link in Link.objects.select_related("invitation")
    }


@pytest.mark.django_db
def test_each_link_takes_the_persons_language_and_reading_mode(world: World) -> None:
    SupervisorIdentity.objects.filter(supervisor=world.anna).update(language="en")
    EmployeeIdentity.objects.filter(employee=world.eva).update(language="en")
    EmployeeIdentity.objects.filter(employee_id="E-DIRK").update(easy_read=False)
    links = _invite_t0()
    assert {pk: (link.language, link.easy_read) for pk, link in links.items()} == {
        "S-ANNA": ("en", False),
        "E-EVA": ("en", True),
        "S-CARLA": ("nl", False),
        "E-DIRK": ("nl", False),
    }


@pytest.mark.django_db
def test_an_english_supervisor_gets_the_mail_and_the_pages_in_english(
    world: World, inbox: Inbox
) -> None:
    SupervisorIdentity.objects.filter(supervisor=world.anna).update(language="en")
    invitations.invitations_run(now=timezone.now())
    anna = inbox.to(ANNA["email"])[0]
    assert anna["Subject"] == "Invitation: the Mentorwijs questionnaire (Start of the training)"
    assert anna["Content-Language"] == "en"
    assert text_of(anna).startswith("Dear Anna de Vries,")
    eva = inbox.to(EVA["email"])[0]  # Eva's preference is Dutch
    assert eva["Content-Language"] == "nl"
    assert text_of(eva).startswith("Beste Eva Bakker,")
    token = token_in(anna)
    page = Client().get(f"/v/{token}/").content.decode()
    assert '<html lang="en">' in page
    assert "Yes, I take part" in page


@pytest.mark.django_db
def test_an_english_employee_without_email_gets_an_english_letter(
    world: World, inbox: Inbox, tmp_path: Path
) -> None:
    EmployeeIdentity.objects.filter(employee_id="E-DIRK").update(language="en")
    invitations.invitations_run(now=timezone.now())
    letter = Delivery.objects.get(link__invitation__employee_id="E-DIRK")
    assert (letter.channel, letter.status) == ("letter", "sent")
    pdf = tmp_path / "letter.pdf"  # typeset as staff download it to print
    pdf.write_bytes(invitations.letters_typeset(deliveries=[letter]))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Invitation: the Mentorwijs questionnaire" in text
    assert "Dear Dirk Visser," in text
    assert "Uitnodiging" not in text


@pytest.mark.django_db
def test_an_easy_read_link_opens_in_easy_read_mode_and_the_respondent_may_switch(
    world: World,
) -> None:
    link = _invite_t0()["E-EVA"]
    assert link.easy_read
    token = token_for(link)
    client = Client()
    start = client.get(f"/v/{token}/").content.decode()
    easy_text = load_protocol().consent["questionnaire"].easy.nl.split("\n")[0][:40]
    assert easy_text in start
    client.post(f"/v/{token}/", {"consent": "yes"})
    page = client.get(f"/v/{token}/2/").content.decode()
    assert page.count("<fieldset") == 1  # one question per screen
    assert "Hoe goed kunt u nu werken? Kies een cijfer." in page  # the easy-read wording
    assert "Vraag 2 van 13" in page
    # The respondent switches to standard mode: the link changes, the registry does not.
    client.post(f"/v/{token}/instellingen/", {"easy": "0", "here": "page:2"})
    assert link_for_token(token).easy_read is False  # type: ignore[union-attr]
    assert preferences_of(role="employee", respondent_id="E-EVA").easy_read


# --- employees registered before the preferences keep their easy-read links ------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_easy_read_for_employees_already_registered() -> None:
    from django.db.migrations.executor import MigrationExecutor

    from mentorwijs.web.registry import crypto

    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0002_identities_encrypted")])
    region = m.Region.objects.create(region_id="R1", name="Regio")
    org = m.Organisation.objects.create(organisation_id="O-1", kind="employer", region=region)
    boss = m.Supervisor.objects.create(supervisor_id="S-1", organisation=org)
    m.Employee.objects.create(
        employee_id="E-1", supervisor=boss, consent_questionnaire=True, consent_register=False
    )
    empty = crypto.encrypt("")
    with connection.cursor() as cur:
        for table, key, pk, name in (
            ("registry_supervisoridentity", "supervisor_id", "S-1", "Els Klaassen"),
            ("registry_employeeidentity", "employee_id", "E-1", "Piet Klaassen"),
        ):
            cur.execute(
                f"INSERT INTO {table} ({key}, name, email, phone, postal_address, name_digest, "
                "email_digest) VALUES (%s, %s, %s, %s, %s, '', '')",
                [pk, crypto.encrypt(name), empty, empty, empty],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert preferences_of(role="employee", respondent_id="E-1") == Preferences("nl", True)
    assert preferences_of(role="supervisor", respondent_id="S-1") == Preferences("nl", False)
    # Registered from now on: standard mode, as for everyone.
    m.Employee.objects.create(
        employee_id="E-2", supervisor=boss, consent_questionnaire=True, consent_register=False
    )
    EmployeeIdentity.objects.create(employee_id="E-2", name="Nieuw")
    assert preferences_of(role="employee", respondent_id="E-2") == DEFAULT


# --- the study's contact on the consent page --------------------------------------------------

CONTACT = "dr. Iris Jansen, onderzoek@gemeente.example, 0344 123 456"
DEFAULT_CONTACT = {
    "nl": "het onderzoeksteam (het adres staat in uw uitnodiging)",
    "en": "the research team (the address is in your invitation)",
}


@pytest.mark.parametrize("value", [f"  {CONTACT}\n", None])
def test_the_contact_setting_is_read_from_the_environment(
    tmp_path: Path, value: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORWIJS_")}
    env |= {
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "mentorwijs.web.settings",
        "MENTORWIJS_DATA_DIR": str(tmp_path),
    }
    if value is not None:
        env["MENTORWIJS_CONTACT"] = value  # stray spaces and a newline are dropped
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(repr(s.MENTORWIJS_CONTACT))"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    assert done.stdout.strip() == repr(CONTACT if value is not None else "")


@pytest.mark.parametrize(
    ("language", "easy", "contact"),
    [("nl", False, CONTACT), ("nl", True, CONTACT), ("en", False, CONTACT), ("nl", False, ""),
     ("en", True, "")],
)  # fmt: skip
@pytest.mark.django_db
def test_the_consent_page_names_the_contact(
    settings: Any, language: str, easy: bool, contact: str
) -> None:
    from mentorwijs.web.survey.testing import respondent_link

    settings.MENTORWIJS_CONTACT = contact
    _link, token = respondent_link(language=language, easy_read=easy)
    page = Client().get(f"/v/{token}/").content.decode()
    assert f'<html lang="{language}">' in page
    assert "{contact}" not in page
    if contact:
        assert CONTACT in page
        assert DEFAULT_CONTACT[language] not in page
    else:
        assert DEFAULT_CONTACT[language] in page
