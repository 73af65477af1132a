"""The permission matrix: every role × every view × own or other scope, outcome per cell.

The own scope is region R10 (coordinator_own; its employee E-EVA, her placement and the
municipality GM0281), trainer TR-1 of group G-RIV-1 (trainer_own) and employer O-KORENAAR
(employer_own); the other scope is region R11, trainer TR-3 and employer O-VALLEI. Every
request asks for an object of the own scope (or for a page without one). Outcomes: 200
shown, 302 redirected (a POST that worked, or a start page), 403 the role has no business
here, 404 the object is outside the user's scope, ``login`` sent to the login page.

A user of the other scope must never find a pseudonym or identity of the own scope in what
comes back; a researcher (without a grant) never finds an identity.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.interviews.models import Code
from mentorwijs.web.interviews.testing import INTERVIEW, interview_build, qdc_upload
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.testing import deliveries_build
from mentorwijs.web.registry.testing import IDENTITY_SECRETS, OWN_SECRETS, World, world_build
from mentorwijs.web.runs.testing import evaluated_study_build, evaluation_run_from
from mentorwijs.web.study.testing import answers_add

G = "/registratie/groepen/G-RIV-1/"
MEETING = G + "bijeenkomsten/1/"
RUN = "/evaluaties/4242/"  # a finished run of a simulated study (fixture ``evaluation_run``)
RUN_FORM = {"imputations": "0", "k": "10", "caliper": "0.2", "bootstrap": "0",
            "cost_benefit_draws": "0", "seed": "1", "action": "queue"}  # fmt: skip
ANSWERS_FORM = {"fmt": "sav", "shape": "wide", "lang": "nl"}

#: view → (method, path, POST data); ``{batch}`` and ``{placement}`` are filled in per test.
VIEWS: dict[str, tuple[str, str, dict[str, object]]] = {
    "home": ("get", "/", {}),
    "dashboard": ("get", "/registratie/", {}),
    "group_create": ("get", "/registratie/groepen/nieuw/", {}),
    "group_detail": ("get", G, {}),
    "group_enrol": ("post", G + "inschrijven/", {"supervisors": ["S-BRAM"]}),
    "meeting_detail": ("get", MEETING, {}),
    "attendance_mark": (
        "post",
        MEETING + "aanwezigheid/",
        {"supervisor": "S-ANNA", "present": "0"},
    ),
    "attendance_rest": ("post", MEETING + "rest-afwezig/", {}),
    "meeting_log": ("post", MEETING + "verslag/", {"held": "on", "parts": ["1", "2"]}),
    "trainer_home": ("get", "/registratie/trainer/", {}),
    "supervisor_list": ("get", "/registratie/leidinggevenden/", {}),
    "supervisor_create": ("get", "/registratie/leidinggevenden/nieuw/", {}),
    "supervisor_detail": ("get", "/registratie/leidinggevenden/S-ANNA/", {}),
    "supervisor_edit": ("get", "/registratie/leidinggevenden/S-ANNA/wijzigen/", {}),
    "employee_list": ("get", "/registratie/medewerkers/", {}),
    "employee_create": ("get", "/registratie/medewerkers/nieuw/", {}),
    "employee_detail": ("get", "/registratie/medewerkers/E-EVA/", {}),
    "employee_edit": ("get", "/registratie/medewerkers/E-EVA/wijzigen/", {}),
    "placement_list": ("get", "/registratie/plaatsingen/", {}),
    "placement_create": ("get", "/registratie/plaatsingen/nieuw/", {}),
    "placement_detail": ("get", "/registratie/plaatsingen/{placement}/", {}),
    "placement_edit": ("get", "/registratie/plaatsingen/{placement}/wijzigen/", {}),
    "municipality_list": ("get", "/registratie/gemeenten/", {}),
    "municipality_create": ("get", "/registratie/gemeenten/nieuw/", {}),
    "municipality_detail": ("get", "/registratie/gemeenten/GM0281/", {}),
    "municipality_edit": ("get", "/registratie/gemeenten/GM0281/wijzigen/", {}),
    "my_organisation": ("get", "/registratie/organisatie/", {}),
    "organisation_detail": ("get", "/registratie/organisaties/O-KORENAAR/", {}),
    "costs": ("get", "/registratie/kosten/", {}),
    "import_start": ("get", "/registratie/import/", {}),
    "import_review": ("get", "/registratie/import/{batch}/", {}),
    "audit_list": ("get", "/registratie/logboek/", {}),
    "audit_export": ("get", "/registratie/logboek.csv", {}),
    "record": ("get", "/privacy/verwerkingsregister/", {}),
    "run_list": ("get", "/evaluaties/", {}),
    "run_start": ("post", "/evaluaties/starten/", RUN_FORM),
    "run_detail": ("get", RUN, {}),
    "run_report": ("get", RUN + "rapport/nl.html", {}),
    "run_cost_benefit": ("get", RUN + "kosten-baten/?region=R10", {}),
    "run_products_generate": ("post", RUN + "producten/", {}),
    "run_product": ("get", RUN + "producten/factsheet/nl.html", {}),
    "run_factsheets": ("get", RUN + "factsheets/", {}),
    "run_region_factsheet": ("get", RUN + "factsheets/R10/nl.html", {}),
    "answers_export": ("get", "/studie/antwoorden/", {}),
    "answers_download": ("post", "/studie/antwoorden/downloaden/", ANSWERS_FORM),
    "interview_list": ("get", "/interviews/", {}),
    "interview_upload": ("get", "/interviews/nieuw/", {}),
    "interview_detail": ("get", INTERVIEW, {}),
    "interview_compare": ("get", INTERVIEW + "vergelijken/", {}),
    "segment_create": (
        "post",
        INTERVIEW + "coderen/",
        {"first": "2", "last": "2", "codes": ["{code}"]},
    ),
    "segment_edit": ("get", INTERVIEW + "fragmenten/1/", {}),
    "segment_delete": ("post", INTERVIEW + "fragmenten/1/verwijderen/", {}),
    "codebook": ("get", "/interviews/codeboek/", {}),
    "code_create": ("post", "/interviews/codeboek/nieuw/", {"name_nl": "Nieuw", "codable": "on"}),
    "code_edit": ("get", "/interviews/codeboek/midi-knowledge/", {}),
    "code_delete": ("post", "/interviews/codeboek/midi-coordinator/verwijderen/", {}),
    "codebook_export": ("get", "/interviews/codeboek/export.qdc", {}),
    "codebook_import": ("post", "/interviews/codeboek/import/", {"lang": "nl", "file": "{qdc}"}),
    "segment_list": ("get", "/interviews/fragmenten/?code=midi-knowledge", {}),
    "segments_csv": ("get", "/interviews/fragmenten.csv", {}),
    "instrument_list": ("get", "/vragenlijsten/", {}),
    "instrument_preview": ("get", "/vragenlijsten/T1/sv_process/makkelijk/en/1/", {}),
    "instrument_preview_end": ("get", "/vragenlijsten/T0/sv_outcomes/gewoon/nl/einde/", {}),
    "monitoring": ("get", "/uitnodigingen/", {}),
    "delivery_list": ("get", "/uitnodigingen/bezorging/", {}),
    "delivery_bounce": ("post", "/uitnodigingen/bezorging/{delivery}/onbestelbaar/", {}),
    "reminder_list": ("get", "/uitnodigingen/herinneren/", {}),
    "letter_list": ("get", "/uitnodigingen/brieven/", {}),
    "letter_download": ("get", "/uitnodigingen/brieven/{letter}.pdf", {}),
    "letter_batch": ("get", "/uitnodigingen/brieven/nieuw.pdf", {}),
}

# Columns: anonymous, no role, coordinator own/other, trainer own/other, researcher (no
# identity grant), employer contact own/other.
MATRIX = """
view                 anon   none   c_own  c_oth  t_own  t_oth  res    e_own  e_oth
home                 login  200    302    302    302    302    200    302    302
dashboard            login  403    200    200    403    403    403    403    403
group_create         login  403    200    200    403    403    403    403    403
group_detail         login  403    200    404    200    404    200    403    403
group_enrol          login  403    302    404    403    403    403    403    403
meeting_detail       login  403    200    404    200    404    403    403    403
attendance_mark      login  403    302    404    302    404    403    403    403
attendance_rest      login  403    302    404    302    404    403    403    403
meeting_log          login  403    302    404    302    404    403    403    403
trainer_home         login  403    403    403    200    200    403    403    403
supervisor_list      login  403    200    200    403    403    403    403    403
supervisor_create    login  403    200    200    403    403    403    403    403
supervisor_detail    login  403    200    404    200    404    200    200    404
supervisor_edit      login  403    200    404    403    403    403    403    403
employee_list        login  403    200    200    403    403    403    403    403
employee_create      login  403    200    200    403    403    403    403    403
employee_detail      login  403    200    404    403    403    200    403    403
employee_edit        login  403    200    404    403    403    403    403    403
placement_list       login  403    200    200    403    403    403    403    403
placement_create     login  403    200    200    403    403    403    403    403
placement_detail     login  403    200    404    403    403    200    403    403
placement_edit       login  403    200    404    403    403    403    403    403
municipality_list    login  403    200    200    403    403    403    403    403
municipality_create  login  403    200    200    403    403    403    403    403
municipality_detail  login  403    200    404    403    403    403    403    403
municipality_edit    login  403    200    404    403    403    403    403    403
my_organisation      login  403    403    403    403    403    403    302    302
organisation_detail  login  403    200    404    403    403    403    200    404
costs                login  403    200    200    403    403    403    403    403
import_start         login  403    200    200    403    403    403    403    403
import_review        login  403    200    404    403    403    403    403    403
audit_list           login  403    403    403    403    403    200    403    403
audit_export         login  403    403    403    403    403    200    403    403
record               login  403    403    403    403    403    200    403    403
run_list             login  403    200    200    403    403    200    403    403
run_start            login  403    403    403    403    403    302    403    403
run_detail           login  403    403    403    403    403    200    403    403
run_report           login  403    403    403    403    403    200    403    403
run_cost_benefit     login  403    200    404    403    403    200    403    403
run_products_generate login 403    403    403    403    403    302    403    403
run_product          login  403    403    403    403    403    200    403    403
run_factsheets       login  403    200    200    403    403    200    403    403
run_region_factsheet login  403    200    404    403    403    200    403    403
answers_export       login  403    403    403    403    403    200    403    403
answers_download     login  403    403    403    403    403    200    403    403
interview_list       login  403    403    403    403    403    200    403    403
interview_upload     login  403    403    403    403    403    200    403    403
interview_detail     login  403    403    403    403    403    200    403    403
interview_compare    login  403    403    403    403    403    200    403    403
segment_create       login  403    403    403    403    403    302    403    403
segment_edit         login  403    403    403    403    403    200    403    403
segment_delete       login  403    403    403    403    403    302    403    403
codebook             login  403    403    403    403    403    200    403    403
code_create          login  403    403    403    403    403    302    403    403
code_edit            login  403    403    403    403    403    200    403    403
code_delete          login  403    403    403    403    403    302    403    403
codebook_export      login  403    403    403    403    403    200    403    403
codebook_import      login  403    403    403    403    403    302    403    403
segment_list         login  403    403    403    403    403    200    403    403
segments_csv         login  403    403    403    403    403    200    403    403
instrument_list      login  403    200    200    200    200    200    403    403
instrument_preview   login  403    200    200    200    200    200    403    403
instrument_preview_end login 403   200    200    200    200    200    403    403
monitoring           login  403    200    200    403    403    200    403    403
delivery_list        login  403    200    200    403    403    200    403    403
delivery_bounce      login  403    302    404    403    403    302    403    403
reminder_list        login  403    200    200    403    403    200    403    403
letter_list          login  403    200    200    403    403    403    403    403
letter_download      login  403    200    404    403    403    403    403    403
letter_batch         login  403    200    302    403    403    403    403    403
"""

USER_OF_COLUMN = {
    "anon": None,
    "none": "nobody",
    "c_own": "coordinator_own",
    "c_oth": "coordinator_other",
    "t_own": "trainer_own",
    "t_oth": "trainer_other",
    "res": "researcher",
    "e_own": "employer_own",
    "e_oth": "employer_other",
}
OTHER_SCOPE = {"anon", "none", "c_oth", "t_oth", "e_oth"}


def _cells() -> list[tuple[str, str, str]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    return [
        (row[0], column, expected)
        for row in rows
        for column, expected in zip(header, row[1:], strict=True)
    ]


def test_the_matrix_covers_every_view_and_every_registry_url() -> None:
    from django.urls import get_resolver

    assert {view for view, _, _ in _cells()} == set(VIEWS)
    names = {
        p.name
        for space in ("registry", "runs", "interviews", "invitations", "study", "privacy")
        for ns in get_resolver().url_patterns
        if getattr(ns, "namespace", "") == space
        for p in ns.url_patterns
    }
    survey = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "survey")
    # The survey's staff pages; the respondent's pages (link_*) need no login but a token.
    names |= {p.name for p in survey.url_patterns if not p.name.startswith("link_")}
    assert names | {"home"} == set(VIEWS)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return evaluated_study_build(out=tmp_path_factory.mktemp("matrix-run"))


@pytest.fixture(autouse=True)
def evaluation_run(db, evaluated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path))
    evaluation_run_from(source=evaluated, pk=4242)


@pytest.fixture
def world(db) -> World:
    world = world_build()
    interview_build(user=world.users["researcher"])
    return world


@pytest.fixture
def deliveries(world: World) -> tuple[Delivery, Delivery]:
    """Anna's T0 e-mail and Eva's T0 letter (own region), sent ten days ago."""
    return deliveries_build(anna=world.anna, eva=world.eva, now=timezone.now())


@pytest.fixture
def with_answers(
    request: pytest.FixtureRequest, world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    """The answers pages get study metadata and a few answers, so a download really happens."""
    if request.node.callspec.params["view"].startswith("answers_"):
        answers_add()


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "column", "expected"), _cells())
def test_permission_matrix_cell(
    world: World,
    deliveries: tuple[Delivery, Delivery],
    with_answers: None,
    view: str,
    column: str,
    expected: str,
) -> None:
    method, path, data = VIEWS[view]
    email, letter = deliveries
    path = path.format(
        batch=world.batch.pk, placement=world.placement.pk, delivery=email.pk, letter=letter.pk
    )
    data = {k: qdc_upload() if v == "{qdc}" else v for k, v in data.items()}
    if view == "segment_create":
        data["codes"] = [str(Code.objects.get(key="midi-knowledge").pk)]
    client = Client()
    username = USER_OF_COLUMN[column]
    if username:
        verified_login(client, world.users[username])
    response = getattr(client, method)(path, data) if method == "post" else client.get(path)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/")
    else:
        assert response.status_code == int(expected), (view, column)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    if column in OTHER_SCOPE:
        leaked = [s for s in OWN_SECRETS if s in body]
        assert not leaked, f"{column} learns {leaked} from {view}"
    if view == "answers_download" and column == "res":
        assert response["Content-Type"] == "application/zip"
    if column == "res":
        leaked = [s for s in IDENTITY_SECRETS if s in body]
        assert not leaked, f"the researcher learns {leaked} from {view}"
