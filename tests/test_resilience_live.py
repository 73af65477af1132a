"""Faults with real processes: PostgreSQL restarted, a gunicorn worker killed, a request cut
off, the disk full, identical posts at once, guessing links. No mocks.

A throwaway PostgreSQL cluster (Debian's binaries, as ``.ci/run`` starts one) holds a migrated
template database with respondents; each test serves its own copy with gunicorn on
127.0.0.1 (``benchmarks/services.py``) and talks to it over HTTP like a browser, then reads
the answers straight from the database.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from respondents import (
    Respondent,
    Tally,
    count_stored,
    post_until_confirmed,
    prepare,
    run_load,
    stored_rows,
)
from services import HOST, Gunicorn, PostgresCluster, manage, site_env

pytestmark = pytest.mark.slow
RESPONDENTS = 30


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """A cluster with database ``site_template``: migrated, with respondents."""
    with PostgresCluster() as c:
        url = c.create_database("site_template")
        env = site_env(url, tmp_path_factory.mktemp("template"))
        manage(env, "migrate", "--noinput")
        c.respondents = prepare(  # type: ignore[attr-defined]
            env, RESPONDENTS, folder=tmp_path_factory.mktemp("respondents")
        )
        yield c


class Site:
    """One test's copy of the template database, served by gunicorn."""

    def __init__(self, cluster: PostgresCluster, name: str, folder: Path, workers: int) -> None:
        self.cluster = cluster
        self.db_url = cluster.create_database(name, template="site_template")
        self.env = site_env(self.db_url, folder)
        self.log = folder / "gunicorn.log"
        self.server = Gunicorn(self.env, workers=workers, log=self.log)
        self.respondents: list[Respondent] = [
            Respondent(r.token, r.invitation_id, r.pages)
            for r in cluster.respondents  # type: ignore[attr-defined]
        ]

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def site_factory(
    cluster: PostgresCluster, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Any]:
    started: list[Site] = []

    def make(workers: int = 2) -> Site:
        name = f"site{len(started)}_" + re.sub(r"\W", "_", request.node.name)[-40:].lower()
        site = Site(cluster, name, tmp_path, workers)
        site.server.start()
        started.append(site)
        return site

    yield make
    for site in started:
        site.server.stop()


def _http(
    base: str,
    method: str,
    path: str,
    data: list[tuple[str, str]] | None = None,
    *,
    source: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(
        host, int(port), timeout=60, source_address=(source, 0) if source else None
    )
    try:
        body = urlencode(data) if data is not None else None
        all_headers = {"Connection": "close", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def _page(r: Respondent, n: int = 0, variant: int = 0) -> tuple[str, list[tuple[str, str]], list]:
    page = r.pages[n]
    chosen = page["variants"][variant]
    data = [(k, v) for k, values in chosen["data"].items() for v in values]
    return f"/v/{r.token}/{page['number']}/", [*data, ("action", "next")], chosen["expected"]


def _assert_calm_retry_page(status: int, headers: dict[str, str], body: str) -> None:
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    assert "Even geduld" in body
    assert "Er is niets verloren gegaan" in body
    assert "Please wait a moment" in body
    assert "Nothing has been lost" in body
    assert "Traceback" not in body
    assert "Error" not in body


def _hidden_fields(body: str) -> list[tuple[str, str]]:
    return [
        (unescape(name), unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', body)
    ]


def _rows(site: Site, invitation_id: int) -> list[tuple[Any, ...]]:
    return stored_rows(site.db_url, [invitation_id])


def _as_stored(expected: list) -> set[tuple[Any, ...]]:
    return {(ins, item, value, text) for ins, item, value, text in expected}


def _stored_once(site: Site, r: Respondent, expected: list) -> None:
    rows = _rows(site, r.invitation_id)
    assert len(rows) == len(expected)  # one row per answer: none lost, none twice
    assert {row[1:] for row in rows} == _as_stored(expected)


# --- PostgreSQL restarts while respondents answer -------------------------------------------


def test_postgres_restart_while_respondents_answer_loses_and_duplicates_nothing(site_factory):
    site = site_factory(workers=2)
    reserved, others = site.respondents[0], site.respondents[1:]
    tally = Tally()
    thread = threading.Thread(
        target=run_load,
        args=(site.url, others),
        kwargs={"seconds": 40, "rate": 6, "clients": 4, "grace": 90, "tally": tally},
    )
    thread.start()
    time.sleep(12)
    site.cluster.stop()
    try:
        # A respondent sends a page while the database is down: the calm page, with the
        # answers in a "try again" form.
        path, data, expected = _page(reserved)
        status, headers, body = _http(site.url, "POST", path, data)
        _assert_calm_retry_page(status, headers, body)
        assert "Uw antwoorden op deze pagina staan hieronder klaar" in body
        replay = _hidden_fields(body)
        assert replay == data
        _assert_calm_retry_page(*_http(site.url, "GET", path))
        # Staff pages likewise: a logged-in page (the session is looked up in the database)
        # and a login (the password is not echoed).
        secret = "a" * 32
        staff = _http(site.url, "GET", "/", headers={"Cookie": "sessionid=" + "b" * 32})
        _assert_calm_retry_page(*staff)
        login = [("csrfmiddlewaretoken", secret), ("username", "staf"), ("password", "Geheim!9")]
        status, headers, body = _http(
            site.url, "POST", "/inloggen/", login, headers={"Cookie": "csrftoken=" + secret}
        )
        _assert_calm_retry_page(status, headers, body)
        assert "Geheim!9" not in body
        assert 'type="hidden"' not in body
        time.sleep(6)  # the load keeps trying during the outage
    finally:
        site.cluster.start()
    confirmed_at_restart = tally.pages_confirmed
    thread.join(timeout=300)
    assert tally.pages_confirmed > confirmed_at_restart  # answering went on afterwards
    # The "try again" form sends the same answers once the database is back.
    status, headers, _ = _http(site.url, "POST", path, replay)
    assert status == 302, headers
    _stored_once(site, reserved, expected)

    count = count_stored(site.db_url, tally, [r.invitation_id for r in others])
    assert tally.statuses["POST 503"] > 0, tally.statuses  # the load did meet the outage
    assert tally.pages_retried > 0
    assert tally.problems == []
    assert count.confirmed > 0
    assert (count.lost, count.duplicated, count.extra, count.uncertain) == (0, 0, 0, 0)
    assert count.stored == count.confirmed


def test_a_connection_lost_in_a_restart_is_replaced_without_the_respondent_noticing(
    site_factory,
):
    site = site_factory(workers=1)
    r = site.respondents[6]
    path, data, expected = _page(r)
    assert _http(site.url, "GET", path)[0] == 200  # the worker now holds a connection
    site.cluster.restart()  # which PostgreSQL closes
    # The next request meets the dead connection; the site tries once more on a new one.
    status, _, body = _http(site.url, "POST", path, data)
    assert status == 302, body[:300]
    _stored_once(site, r, expected)
    assert "database failure on POST" in site.log.read_text()  # it did meet the dead one


# --- a worker killed mid-request ------------------------------------------------------------


def _waiting_backend(db_url: str, query_start: str, timeout: float = 60) -> int:
    """The process id of the PostgreSQL backend waiting on a lock in ``query_start…``."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND replace(query, '\"', '') LIKE %s",  # Django quotes names, raw SQL not
                (query_start + "%",),
            ).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.05)
        seen = conn.execute(
            "SELECT state, wait_event_type, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    raise TimeoutError(f"no backend waits in {query_start}; backends: {seen}")


def _backend_gone(db_url: str, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(db_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            if not conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                return
            time.sleep(0.05)
    raise TimeoutError(f"backend {pid} still there")


def _post_in_thread(site: Site, path: str, data: list) -> tuple[threading.Thread, list]:
    outcome: list[object] = []

    def send() -> None:
        try:
            outcome.append(_http(site.url, "POST", path, data)[0])
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize(
    ("lock", "waits_in"),
    [
        # Killed while the page's one upsert statement waits: PostgreSQL still runs the
        # statement whole once the lock is free, so the page is stored and the reply lost.
        ("LOCK TABLE study_response IN SHARE MODE", "INSERT INTO study_response"),
        # Killed after the answers were committed, before the reply: stored, reply lost.
        (
            "SELECT id FROM survey_link WHERE invitation_id = {inv} FOR UPDATE",
            "UPDATE survey_link",
        ),
    ],
    ids=["in-the-answers-statement", "after-the-commit"],
)
def test_a_worker_killed_mid_request_then_a_retry_stores_each_answer_once(
    site_factory, lock, waits_in
):
    site = site_factory(workers=1)
    r = site.respondents[1]
    path, data, expected = _page(r)
    with psycopg.connect(site.db_url) as locker:
        locker.execute(lock.format(inv=int(r.invitation_id)))  # hold the request up there
        thread, outcome = _post_in_thread(site, path, data)
        backend = _waiting_backend(site.db_url, waits_in)
        killed = site.server.kill_worker()
        locker.rollback()
    thread.join(timeout=60)
    assert len(outcome) == 1
    assert isinstance(outcome[0], (OSError, http.client.HTTPException)), outcome
    _backend_gone(site.db_url, backend)
    assert len(_rows(site, r.invitation_id)) == len(expected)  # the whole page, never a part
    deadline = time.monotonic() + 60
    while killed in site.server.worker_pids() or not site.server.worker_pids():
        assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
        time.sleep(0.1)

    # The client did not get an answer, so it sends the page again.
    tally = Tally()
    ok, _ = post_until_confirmed(
        site.url, path, urlencode(data), tally=tally, deadline=time.monotonic() + 60
    )
    assert ok, (tally.statuses, tally.problems)
    _stored_once(site, r, expected)


# --- a request cut off ----------------------------------------------------------------------


def test_a_form_cut_off_in_transit_stores_nothing_and_gets_the_calm_page(site_factory):
    site = site_factory(workers=1)
    r = site.respondents[2]
    path, data, expected = _page(r)
    body = urlencode(data).encode()
    cut = body[: body.index(b"&", len(body) // 2)]  # whole answers, then the rest goes missing
    with socket.create_connection((HOST, site.server.port), timeout=60) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + cut
        )
        sock.shutdown(socket.SHUT_WR)  # the client goes away in the middle of the body
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, page = reply.decode().partition("\r\n\r\n")
    status = int(head.split()[1])
    headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
    _assert_calm_retry_page(status, headers, page)
    assert 'type="hidden"' not in page  # a body cut in two is not offered to send again
    assert _rows(site, r.invitation_id) == []
    # Sent whole, the same page is stored.
    assert _http(site.url, "POST", path, data)[0] == 302
    _stored_once(site, r, expected)


# --- the same form posted twice at once -----------------------------------------------------


def test_the_same_form_posted_at_the_same_moment_stores_each_answer_once(site_factory):
    site = site_factory(workers=2)
    r = site.respondents[3]
    path, data, expected = _page(r)
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def send() -> None:
        barrier.wait()
        statuses.append(_http(site.url, "POST", path, data)[0])

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert statuses == [302] * 6
    _stored_once(site, r, expected)


# --- guessing links -------------------------------------------------------------------------


def test_guessing_links_is_throttled_per_address_and_others_still_get_in(site_factory):
    site = site_factory(workers=1)
    token = site.respondents[4].token
    guesser, other = "127.0.0.2", "127.0.0.3"
    for i in range(20):
        guess = f"{i:02d}" + token[2:]
        status, _, body = _http(site.url, "GET", f"/v/{guess}/", source=guesser)
        assert status == 404, i
        assert "Deze link werkt niet" in body
    # The count is kept outside the process (files in the data folder), so the process that
    # counted can go: the one gunicorn starts in its place (as any other worker) knows it.
    killed = site.server.kill_worker()
    deadline = time.monotonic() + 60
    while killed in site.server.worker_pids() or not site.server.worker_pids():
        assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
        time.sleep(0.1)
    status, headers, body = _http(site.url, "GET", f"/v/{'x' * 43}/", source=guesser)
    assert status == 429
    assert headers["Retry-After"] == "900"
    # From the guessing address even a correct link waits; a POST stores nothing there.
    assert _http(site.url, "GET", f"/v/{token}/", source=guesser)[0] == 429
    path, data, _ = _page(site.respondents[4])
    assert _http(site.url, "POST", path, data, source=guesser)[0] == 429
    assert _rows(site, site.respondents[4].invitation_id) == []
    # Anyone else opens their link as usual.
    status, headers, _ = _http(site.url, "GET", f"/v/{token}/", source=other)
    assert status == 302
    assert _http(site.url, "POST", path, data, source=other)[0] == 302


# --- the disk is full -----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs (CI runs as root, as the mount needs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"this test mounts a small tmpfs and needs root: {done.stderr}"
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for size in (65536, 1):
            with contextlib.suppress(OSError):
                while fh.write(b"\0" * size):
                    pass
    return filler


def test_a_full_disk_gets_the_calm_page_stores_nothing_and_answering_goes_on_after(
    small_disk: Path, tmp_path: Path
):
    from django.http import HttpRequest

    from mentorwijs.web.resilience import failure_kind, retry_page

    made = tmp_path / "made"
    made.mkdir()
    db = made / "mentorwijs.sqlite3"
    env = site_env(f"sqlite:///{db}", made)
    manage(env, "migrate", "--noinput")
    r = prepare(env, 1, folder=made)[0]
    shutil.copy(db, small_disk / "mentorwijs.sqlite3")
    url = f"sqlite:///{small_disk / 'mentorwijs.sqlite3'}"
    with Gunicorn(site_env(url, made), workers=1, log=made / "gunicorn.log") as server:
        path, data, expected = _page(r)
        filler = _fill(small_disk)
        status, headers, body = _http(server.url, "POST", path, data)
        _assert_calm_retry_page(status, headers, body)
        replay = _hidden_fields(body)
        assert replay == data
        assert stored_rows(url, [r.invitation_id]) == []
        # Writing a file to the full disk fails with ENOSPC, which gets the same page.
        (small_disk / "export.csv").touch()
        with pytest.raises(OSError, match="No space left on device") as exc:
            (small_disk / "export.csv").write_bytes(b"x" * 1_000_000)
        assert failure_kind(exc.value) == "disk"
        assert retry_page(HttpRequest(), failure_kind(exc.value)).status_code == 503

        filler.unlink()
        assert _http(server.url, "POST", path, replay)[0] == 302
    rows = stored_rows(url, [r.invitation_id])
    assert {row[1:] for row in rows} == _as_stored(expected)
    assert len(rows) == len(expected)
    import sqlite3

    with contextlib.closing(sqlite3.connect(small_disk / "mentorwijs.sqlite3")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_in_chromium_the_retry_page_keeps_the_answers_and_sends_them_once_the_database_is_back(
    site_factory,
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    site = site_factory(workers=1)
    r = site.respondents[5]
    page_no = r.pages[0]["number"]
    chosen = r.pages[0]["variants"][0]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.goto(f"{site.url}/v/{r.token}/{page_no}/")
            for code, values in chosen["data"].items():
                for value in values:
                    page.check(f'input[name="{code}"][value="{value}"]')
            site.cluster.stop()
            try:
                page.click('button[name="action"][value="next"]')
                assert page.title().startswith("Even geduld · Please wait a moment")
                violations = [
                    v["id"]
                    for v in Axe().run(page).response["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                assert violations == []
            finally:
                site.cluster.start()
            assert _rows(site, r.invitation_id) == []
            page.click("form button")  # "Opnieuw proberen · Try again"
            assert page.url.endswith(f"/v/{r.token}/{r.pages[1]['number']}/")
        finally:
            browser.close()
    _stored_once(site, r, chosen["expected"])
