"""Attacks on the staff site: every URL in the matrix, CSRF, stored XSS, injection, IDOR.

The views, their requests and the users come from the permission matrix
(``tests/test_web_permissions.py``); a view added to the site without a row there fails
the first test here. Each probe runs against every view, as a user who may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import test_web_permissions as matrix
from mentorwijs.web.accounts.testing import verified_login
from mentorwijs.web.interviews.models import Code
from mentorwijs.web.interviews.testing import qdc_upload
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.registry.testing import World
from test_web_permissions import USER_OF_COLUMN, VIEWS, _cells

# The matrix's fixtures, shared: its world, deliveries and finished evaluation run.
world = matrix.world
deliveries = matrix.deliveries
evaluated = matrix.evaluated
evaluation_run = matrix.evaluation_run

#: Views outside the role matrix, each with its own tests.
OUTSIDE_MATRIX = {
    "login": "tests/test_accounts.py",
    "logout": "tests/test_accounts.py",
    "accounts:verify": "tests/test_accounts.py",
    "accounts:enrol": "tests/test_accounts.py",
    "set_language": "Django's own view: only sets a cookie",
}
#: URL prefixes outside the staff site: Django's admin (staff with 2FA, Django's own
#: permission checks) and the respondents' pages, reached by a secret link, not a role.
OUTSIDE_PREFIXES = ("beheer/", "v/<str:token>/")
#: Columns of users who use the site within their own scope, in order of preference.
OWN = ("c_own", "t_own", "res", "e_own")
#: Values of the other region that an own-scope user must never be shown.
OTHER_SECRETS = ("Carla Smit", "Zorggroep Vallei", "Dirk Visser", "S-CARLA", "E-DIRK", "GM0228")
XSS = "<script>alert('xss')</script>"
XSS_SHORT = "<b>x"


def _patterns(
    resolver: URLResolver, prefix: str = "", space: str = ""
) -> Iterator[tuple[str, str]]:
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = f"{space}{p.namespace}:" if p.namespace else space
            yield from _patterns(p, route, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield route, f"{space}{p.name}"


def test_every_url_of_the_site_is_in_the_permission_matrix() -> None:
    missing = sorted(
        name
        for route, name in _patterns(get_resolver())
        if not route.startswith(OUTSIDE_PREFIXES)
        and name not in OUTSIDE_MATRIX
        and name.split(":")[-1] not in VIEWS
    )
    assert not missing, f"add {missing} to VIEWS and MATRIX in tests/test_web_permissions.py"


def _users_of(view: str) -> list[str]:
    """Own-scope columns whose user may use the view (200 or 302 in the matrix)."""
    ok = {c: e for v, c, e in _cells() if v == view and e in ("200", "302")}
    return [c for c in OWN if c in ok]


def request_of(
    view: str, world: World, deliveries: tuple[Delivery, Delivery]
) -> tuple[str, str, dict[str, Any]]:
    """The matrix's request for ``view``, with its placeholders filled in."""
    method, path, data = VIEWS[view]
    email, letter = deliveries
    path = path.format(
        batch=world.batch.pk, placement=world.placement.pk, delivery=email.pk, letter=letter.pk
    )
    data = {k: qdc_upload() if v == "{qdc}" else v for k, v in data.items()}
    if view == "segment_create":
        data["codes"] = [str(Code.objects.get(key="midi-knowledge").pk)]
    return method, path, data


def client_for(world: World, column: str, **kw: Any) -> Client:
    return verified_login(Client(**kw), world.users[USER_OF_COLUMN[column]])


def body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def changes() -> int:
    return LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count()


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_view_accepts_a_post_without_the_csrf_token(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    before = changes()
    checked = 0
    for view in VIEWS:
        for column in _users_of(view)[:1]:
            _, path, data = request_of(view, world, deliveries)
            client = client_for(world, column, enforce_csrf_checks=True)
            response = client.post(path, data)
            assert response.status_code == 403, (view, response.status_code)
            checked += 1
    assert checked >= 50
    assert changes() == before
    login = Client(enforce_csrf_checks=True).post("/inloggen/", {"username": "x", "password": "y"})
    assert login.status_code == 403


# --- stored XSS ---------------------------------------------------------------------------


def poison_every_free_text_field() -> int:
    """Write markup into every free-text column of every row of the site's own models."""
    from django.apps import apps
    from django.db import models

    from mentorwijs.web.registry.fields import EncryptedTextField

    count = 0
    for model in apps.get_models():
        if not model.__module__.startswith("mentorwijs."):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | EncryptedTextField)
            and not f.primary_key
            and not f.choices
            and not f.unique
            # identifiers, digests, paths and fields with a checked format are not free text
            and not f.name.endswith(
                ("_digest", "_hash", "salt", "key", "guid", "folder", "color", "file", "link")
            )
            and f.name not in ("role", "wave", "instrument", "item", "mode", "kind", "lang")
        ]
        if not fields:
            continue
        for obj in model._base_manager.all():
            for f in fields:
                limit = f.max_length or 10_000
                unique = f"{XSS}{count}"  # some names must differ between rows
                setattr(obj, f.name, unique if limit >= len(unique) else XSS_SHORT[:limit])
            obj.save(update_fields=[f.name for f in fields])
            count += 1
    return count


@pytest.mark.django_db
def test_every_page_escapes_markup_stored_in_free_text(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    from mentorwijs.web.registry.models import ImportBatch

    assert poison_every_free_text_field() > 20
    ImportBatch.objects.filter(pk=world.batch.pk).update(header=[XSS, "werkgever"])
    batch = ImportBatch.objects.get(pk=world.batch.pk)
    batch.rows = [[XSS, "O-KORENAAR"]]
    batch.save()
    escaped = 0
    for view in VIEWS:
        method, path, _ = request_of(view, world, deliveries)
        if method != "get":
            continue
        for column in _users_of(view):
            response = client_for(world, column).get(path)
            if "html" not in response.get("Content-Type", ""):
                continue
            page = body(response)
            assert XSS not in page, (view, column)
            assert XSS_SHORT not in page, (view, column)
            assert "<script>" not in page, (view, column)
            escaped += page.count("&lt;script&gt;")
    assert escaped > 20  # the markup was there, shown as text


# --- injection ------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: method, action and the names and values of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(),
                               "action": a.get("action", ""), "fields": {}})  # fmt: skip
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            kind = a.get("type", "text" if tag != "select" else "select")
            self.forms[-1]["fields"][a["name"]] = (kind, a.get("value", ""))


INJECTIONS = (
    "' OR '1'='1",
    "1; DROP TABLE study_region; --",
    "%' UNION SELECT password FROM auth_user --",
    "S-ANNA' --",
)


@pytest.mark.django_db
def test_injection_in_every_form_and_filter_gives_no_error_and_no_other_data(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    probed = 0
    for view in VIEWS:
        method, path, _ = request_of(view, world, deliveries)
        if method != "get":
            continue
        for column in _users_of(view)[:1]:
            client = client_for(world, column)
            page = client.get(path)
            if "html" not in page.get("Content-Type", ""):
                continue
            parser = Forms()
            parser.feed(body(page))
            for form in parser.forms:
                if form["action"].startswith(("/taal/", "/uitloggen/")):
                    continue
                target = form["action"] or path
                for payload in INJECTIONS:
                    data = {
                        name: payload if kind in ("text", "search", "textarea", "email",
                                                  "select", "date", "number", "url") else value
                        for name, (kind, value) in form["fields"].items()
                        if kind not in ("file", "submit")
                    }  # fmt: skip
                    send = client.post if form["method"] == "post" else client.get
                    response = send(target, data)
                    assert response.status_code < 500, (view, target, payload)
                    if column != "res":
                        leaked = [s for s in OTHER_SECRETS if s in body(response)]
                        assert not leaked, (view, target, payload, leaked)
                    probed += 1
    assert probed > 100
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM study_region")
        assert cur.fetchone()[0] == 2
        cur.execute("SELECT COUNT(*) FROM auth_user")
        assert cur.fetchone()[0] == len(world.users)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_in_object_urls_finds_nothing(world: World, payload: str) -> None:
    from urllib.parse import quote

    client = client_for(world, "c_own")
    for prefix in ("/registratie/leidinggevenden/", "/registratie/medewerkers/",
                   "/registratie/groepen/", "/registratie/gemeenten/",
                   "/registratie/organisaties/"):  # fmt: skip
        response = client.get(prefix + quote(payload, safe="") + "/")
        assert response.status_code == 404
        assert not [s for s in OTHER_SECRETS if s in body(response)]


# --- IDOR -------------------------------------------------------------------------------------


def _other_objects(world: World) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """For each object view, the request for the *other* region's object."""
    from datetime import date

    from mentorwijs.web.registry.models import ImportBatch

    other_batch = ImportBatch.objects.create(
        created_by=world.users["coordinator_other"], region_id="R11", kind="supervisors",
        filename="fv.csv", header=["naam"], rows=[["Fleur"]],
    )  # fmt: skip
    g, meeting = "/registratie/groepen/G-FV-1/", "/registratie/groepen/G-FV-1/bijeenkomsten/1/"
    from django.utils import timezone

    from mentorwijs.web.invitations.testing import deliveries_build
    from mentorwijs.web.study.models import Employee

    email, letter = deliveries_build(
        anna=world.carla, eva=Employee.objects.get(pk="E-DIRK"), now=timezone.now()
    )
    return {
        "delivery_bounce": ("post", f"/uitnodigingen/bezorging/{email.pk}/onbestelbaar/", {}),
        "letter_download": ("get", f"/uitnodigingen/brieven/{letter.pk}.pdf", {}),
        "group_detail": ("get", g, {}),
        "group_enrol": ("post", g + "inschrijven/", {"supervisors": ["S-BRAM"]}),
        "meeting_detail": ("get", meeting, {}),
        "attendance_mark": ("post", meeting + "aanwezigheid/",
                            {"supervisor": "S-CARLA", "present": "1"}),
        "attendance_rest": ("post", meeting + "rest-afwezig/", {}),
        "meeting_log": ("post", meeting + "verslag/", {"held": "on", "parts": ["1"]}),
        "supervisor_detail": ("get", "/registratie/leidinggevenden/S-CARLA/", {}),
        "supervisor_edit": ("post", "/registratie/leidinggevenden/S-CARLA/wijzigen/",
                            {"name": "Overgenomen", "organisation": "O-KORENAAR"}),
        "employee_detail": ("get", "/registratie/medewerkers/E-DIRK/", {}),
        "employee_edit": ("post", "/registratie/medewerkers/E-DIRK/wijzigen/",
                          {"name": "Overgenomen", "supervisor": "S-ANNA"}),
        "placement_detail": ("get", f"/registratie/plaatsingen/{world.other_placement.pk}/", {}),
        "placement_edit": ("post", f"/registratie/plaatsingen/{world.other_placement.pk}/wijzigen/",
                           {"start_date": date(2026, 1, 1).isoformat(), "hours_per_week": "1"}),
        "municipality_detail": ("get", "/registratie/gemeenten/GM0228/", {}),
        "municipality_edit": ("post", "/registratie/gemeenten/GM0228/wijzigen/", {"name": "X"}),
        "organisation_detail": ("get", "/registratie/organisaties/O-VALLEI/", {}),
        "import_review": ("post", f"/registratie/import/{other_batch.pk}/", {"action": "commit"}),
        "run_cost_benefit": ("get", "/evaluaties/4242/kosten-baten/?region=R11", {}),
    }  # fmt: skip


#: Users of the own scope who try the other scope's objects, per view.
ATTACKERS = ("c_own", "t_own", "e_own")


@pytest.mark.django_db
def test_no_object_of_another_scope_can_be_read_or_changed_by_its_address(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    others = _other_objects(world)
    object_views = {v for v, (_, path, _) in VIEWS.items() if "{" in path or "-" in path}
    assert set(others) <= set(VIEWS)
    before = changes()
    for view, (method, path, data) in others.items():
        for column in ATTACKERS:
            client = client_for(world, column)
            response = client.post(path, data) if method == "post" else client.get(path)
            assert response.status_code in (403, 404), (view, column, response.status_code)
            leaked = [s for s in OTHER_SECRETS if s in body(response)]
            assert not leaked, (view, column, leaked)
    assert changes() == before
    assert object_views  # the matrix holds object URLs to compare with


@pytest.mark.django_db
def test_guessing_numeric_ids_finds_nothing(world: World) -> None:
    client = client_for(world, "c_own")
    top = world.other_placement.pk + world.placement.pk + world.batch.pk
    for guess in range(top, top + 20):
        for path in (f"/registratie/plaatsingen/{guess}/", f"/registratie/import/{guess}/"):
            assert client.get(path).status_code == 404


# --- Content-Security-Policy: nothing inline ---------------------------------------------

INLINE = (
    ("an inline script", r"<script(?![^>]*\bsrc=)[^>]*>"),
    ("a style element", r"<style[\s>]"),
    ("a style attribute", r"\sstyle\s*="),
    ("an event handler", r"\son[a-z]+\s*="),
    ("a javascript: URL", r"javascript:"),
)


@pytest.mark.django_db
def test_no_page_holds_inline_script_or_style_that_the_policy_would_block(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    import re

    pages = 0
    for view in VIEWS:
        method, path, _ = request_of(view, world, deliveries)
        if method != "get":
            continue
        for column in _users_of(view):
            response = client_for(world, column).get(path)
            if "html" not in response.get("Content-Type", ""):
                continue
            if response.get("Content-Disposition", "").startswith("attachment"):
                continue  # a downloaded product (the report), opened from disk, not a page
            assert "'unsafe-inline'" not in response["Content-Security-Policy"]
            page = body(response)
            found = [what for what, pattern in INLINE if re.search(pattern, page, re.I)]
            assert not found, (view, column, found)
            pages += 1
    for path in ("/inloggen/", "/account/tweestaps/", "/account/code/"):
        page = body(verified_login(Client(), world.users["trainer_own"]).get(path))
        assert not [what for what, pattern in INLINE if re.search(pattern, page, re.I)]
    assert pages > 40


# --- every download in the audit trail ----------------------------------------------------

#: Views that hand data out of the site as a file.
DOWNLOADS = (
    "audit_export",
    "run_report",
    "run_product",
    "run_region_factsheet",
    "answers_download",
    "segments_csv",
    "letter_batch",  # before the single letter: the batch holds letters not downloaded yet
    "letter_download",
)


@pytest.mark.django_db
def test_every_download_is_written_to_the_audit_trail(
    world: World, deliveries: tuple[Delivery, Delivery]
) -> None:
    from mentorwijs.web.study.testing import answers_add

    answers_add()
    assert set(DOWNLOADS) <= set(VIEWS)
    for view in DOWNLOADS:
        method, path, data = request_of(view, world, deliveries)
        column = _users_of(view)[0]
        before = LogEntry.objects.filter(object_pk="export").count()
        client = client_for(world, column)
        response = client.post(path, data) if method == "post" else client.get(path)
        assert response.status_code == 200, (view, response.status_code)
        entries = LogEntry.objects.filter(object_pk="export").order_by("pk")
        assert entries.count() == before + 1, view
        assert entries.last().actor == world.users[USER_OF_COLUMN[column]], view
