"""Benchmark: respondents answering questionnaires through gunicorn on PostgreSQL.

Target (issue 4): at least 200 answer submissions a second on this 2-core machine, with the
95th percentile of a submission's latency under 150 ms, and no answer lost or duplicated
(counted in the database afterwards against what the server confirmed).

What runs: a fresh database ``answering_bench`` on the PostgreSQL server at 127.0.0.1:55433
(``--database-url``), migrated, with N supervisors invited to T0, each with a personal link
and questionnaire consent. gunicorn serves ``mentorwijs.web.wsgi`` on a free loopback port.
A small load generator (asyncio streams speaking HTTP/1.1, in this process; far lighter than
a general HTTP client, so that it leaves the two cores to the server) runs ``--users``
virtual respondents for ``--seconds`` after a warm-up. Each takes the next respondent and
walks the questionnaire as a browser would: open the link (a redirect to the page to resume
at), then per page load it (GET) and send the answers (POST, a redirect to the next page);
``--double`` of the sends are sent twice (a double click); in the end the "send" of the
last page. A fifth of the respondents answer in easy-read mode (one question per page).

A submission is one POST of a page of answers; it is *confirmed* when the server answers it
with the redirect to the next page. After the run the database must hold exactly the
confirmed answers: ``lost`` counts confirmed (invitation, item) answers missing or with
another value, ``duplicated`` counts answer keys stored more than once.

The server is gunicorn with 4 sync workers (two per core, as the database waits leave room),
loaded once in the master (``benchmarks/gunicorn_conf.py``). Only loopback traffic; every
loop is bounded in time. Run:
``.venv/bin/python benchmarks/answering.py [--seconds 30] [--users 24] [--workers 4]``
(needs the ``server`` extra for gunicorn and the ``postgres`` extra for psycopg).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe

DEFAULT_URL = "postgres://postgres@127.0.0.1:55433/answering_bench"
SECRET = "benchmark-secret-key-shared-by-the-generator-and-the-server"


# --- the database and the respondents ----------------------------------------------------


def fresh_database(url: str) -> None:
    """Drop and create the benchmark database (never anything but a name with 'bench')."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "bench" not in name or parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(
            f"refusing to recreate {name!r} on {parts.hostname}: not a loopback bench db"
        )
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Respondent:
    token: str
    invitation_id: int
    easy: bool


def make_respondents(n: int, easy_share: float, seed: int) -> list[Respondent]:
    """N supervisors invited to T0 with a link and consent, in bulk."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from mentorwijs.web.study import models as m
    from mentorwijs.web.survey.links import hash_token, token_for
    from mentorwijs.web.survey.models import Consent, Link
    from mentorwijs.web.survey.plan import survey_protocol

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    region = m.Region.objects.create(region_id="R-BENCH", name="Benchmarkregio")
    employer = m.Organisation.objects.create(
        organisation_id="O-BENCH", kind="employer", region=region
    )
    now = timezone.now()
    ids = [f"S-B{i:06d}" for i in range(n)]
    m.Supervisor.objects.bulk_create(
        [m.Supervisor(supervisor_id=s, organisation=employer) for s in ids]
    )
    invitations = m.Invitation.objects.bulk_create(
        [m.Invitation(supervisor_id=s, role="supervisor", wave="T0", invited_at=now) for s in ids]
    )
    version = survey_protocol().consent["questionnaire"].version
    Consent.objects.bulk_create(
        [
            Consent(
                role="supervisor",
                respondent_id=s,
                purpose="questionnaire",
                given=True,
                version=version,
            )
            for s in ids
        ]
    )
    links, out = [], []
    for inv in invitations:
        easy = rng.random() < easy_share
        link = Link(invitation=inv, expires_at=now + timedelta(days=42), easy_read=easy)
        token = token_for(link)
        link.token_hash = hash_token(token)
        links.append(link)
        out.append(Respondent(token=token, invitation_id=inv.pk, easy=easy))
    Link.objects.bulk_create(links)
    return out


# --- a small HTTP/1.1 client ------------------------------------------------------------------


class Http:
    """One keep-alive connection to the server (reopened when the server closes it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, str]:
        """Send one request; return the status and the Location header ('' if none)."""
        if self.writer is None:
            await self._open()
        assert self.reader is not None
        assert self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if method == "POST":
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write((head + "\r\n").encode("ascii") + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, location, close = 0, "", False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            key = name.strip().lower()
            if key == "content-length":
                length = int(value)
            elif key == "location":
                location = value.strip()
            elif key == "connection" and value.strip().lower() == "close":
                close = True
        if length:
            await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, location


# --- the virtual respondents -------------------------------------------------------------------


@dataclass
class Stats:
    measuring: bool = False
    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    submissions: int = 0  # confirmed page posts while measuring
    answers: int = 0  # answers in them
    web_cpu: float = 0.0  # CPU seconds of gunicorn's workers while measuring
    db_cpu: float = 0.0  # and of their PostgreSQL sessions
    confirmed: dict[tuple[int, str], float] = field(default_factory=dict)
    finished: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def page_answers(items: list[tuple[str, tuple[int, ...]]], rng: random.Random) -> dict[str, int]:
    return {code: rng.choice(values) for code, values in items}


async def respondent_walk(
    http: Http, r: Respondent, pages: list[list[tuple[str, tuple[int, ...]]]],
    stats: Stats, rng: random.Random, double: float, deadline: float,
) -> None:  # fmt: skip
    base = f"/v/{r.token}/"
    status, location = await http.request("GET", base)
    if status != 302:
        stats.errors.append(f"start {status}")
        return
    for number, items in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            return
        url = f"{base}{number}/"
        t0 = time.perf_counter()
        status, _ = await http.request("GET", url)
        if stats.measuring:
            stats.get_ms.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            stats.errors.append(f"get {status}")
            return
        answers = page_answers(items, rng)
        body = urlencode({**answers, "action": "next"}).encode("ascii")
        expected = f"{base}{number + 1}/" if number < len(pages) else f"{base}einde/"
        for _ in range(2 if rng.random() < double else 1):
            t0 = time.perf_counter()
            status, location = await http.request("POST", url, body)
            took = (time.perf_counter() - t0) * 1000
            if status != 302 or location != expected:
                stats.errors.append(f"post {status} {location}")
                return
            for code, value in answers.items():
                stats.confirmed[(r.invitation_id, code)] = float(value)
            if stats.measuring:
                stats.post_ms.append(took)
                stats.submissions += 1
                stats.answers += len(answers)
    status, location = await http.request("POST", f"{base}einde/")
    if status == 302:
        stats.finished.add(r.invitation_id)
    else:
        stats.errors.append(f"finish {status}")


async def run_load(
    port: int, respondents: list[Respondent], plans: dict[bool, list], users: int,
    seconds: float, warmup: float, double: float, seed: int,
    server_cpu: Callable[[], tuple[float, float]],
) -> tuple[Stats, float]:  # fmt: skip
    stats = Stats()
    queue = list(reversed(respondents))
    start = time.monotonic()
    measure_from = start + warmup
    deadline = measure_from + seconds

    async def user(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        http = Http("127.0.0.1", port)
        try:
            while queue and time.monotonic() < deadline:
                r = queue.pop()
                await respondent_walk(http, r, plans[r.easy], stats, rng, double, deadline)
        finally:
            await http.close()

    async def clock() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        cpu0 = server_cpu()
        stats.measuring = True
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))
        stats.measuring = False
        cpu1 = server_cpu()
        stats.web_cpu, stats.db_cpu = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]

    tasks = [asyncio.create_task(user(i)) for i in range(users)]
    await clock()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=60)
    return stats, seconds


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: gunicorn settings shared by the load runs: the site, its URLs and views are loaded once in
#: the master before the workers fork, so no worker pays for that on its first request.
GUNICORN_CONF = Path(__file__).parent / "gunicorn_conf.py"


def start_gunicorn(port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "mentorwijs.web.wsgi:application",
        "-c", str(GUNICORN_CONF),
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", worker_class, "--threads", str(threads),
        "--log-level", "warning", "--keep-alive", "5", "--backlog", "256",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=os.environ.copy())
    # Ready when a worker answers (the socket accepts connections before the workers fork).
    request = f"GET /inloggen/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                conn.sendall(request.encode("ascii"))
                if conn.recv(16).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start within 120 s")


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_reader(server: subprocess.Popen, url: str) -> Callable[[], tuple[float, float]]:
    """CPU seconds used so far by gunicorn's workers and the PostgreSQL sessions of the
    benchmark database (the server side of the load, whatever else the machine runs)."""
    import psycopg

    connection = psycopg.connect(url, autocommit=True)
    database = urlparse(url).path.lstrip("/")

    def read() -> tuple[float, float]:
        try:
            with open(f"/proc/{server.pid}/task/{server.pid}/children", encoding="ascii") as fh:
                workers = [int(p) for p in fh.read().split()]
        except OSError:
            workers = []
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
            backends = [row[0] for row in cur.fetchall()]
        return sum(_cpu_seconds(p) for p in workers), sum(_cpu_seconds(p) for p in backends)

    return read


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--respondents", type=int, default=4000)
    parser.add_argument("--users", type=int, default=24, help="virtual respondents at once")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=4)
    # sync workers take a new connection per request, so the kernel spreads the requests over
    # the free workers; gthread workers keep a connection (and its respondent) to themselves,
    # which measured 2-3x slower here with keep-alive clients.
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--double", type=float, default=0.05, help="share of double submits")
    parser.add_argument("--easy-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.seconds > 300 or args.warmup > 60:
        raise SystemExit("keep the run bounded: --seconds at most 300, --warmup at most 60")

    os.environ["MENTORWIJS_DATABASE_URL"] = args.database_url
    os.environ["MENTORWIJS_SECRET_KEY"] = SECRET
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorwijs.web.settings")
    print(describe(("django", "psycopg", "gunicorn")))
    print(
        f"server: gunicorn, {args.workers} workers ({args.worker_class}, {args.threads} "
        f"threads), PostgreSQL {urlparse(args.database_url).netloc}; load: {args.users} "
        f"virtual respondents, {args.warmup:g} s warm-up + {args.seconds:g} s, "
        f"{args.double:.0%} double submits, {args.easy_share:.0%} easy-read"
    )

    fresh_database(args.database_url)
    import django

    django.setup()
    from django.db import connection

    from mentorwijs.web.survey.plan import wave_plan

    t0 = time.perf_counter()
    respondents = make_respondents(args.respondents, args.easy_share, args.seed)
    connection.close()
    print(f"setup: {len(respondents)} respondents with links in {time.perf_counter() - t0:.1f} s")
    plans = {}
    for easy in (False, True):
        plan = wave_plan(role="supervisor", wave="T0", easy=easy)
        plans[easy] = [
            [(it.code, plan.protocol.answer_scales[it.answer_scale].values) for it in p.items
             if it.answer_scale is not None]
            for p in plan.pages
        ]  # fmt: skip

    port = free_port()
    t0 = time.perf_counter()
    server = start_gunicorn(port, args.workers, args.worker_class, args.threads)
    print(f"gunicorn ready in {time.perf_counter() - t0:.1f} s")
    try:
        reader = server_cpu_reader(server, args.database_url)
        stats, seconds = asyncio.run(
            run_load(port, respondents, plans, args.users, args.seconds, args.warmup,
                     args.double, args.seed, reader)
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    from django.db import connection as conn

    with conn.cursor() as cur:
        cur.execute(
            "SELECT invitation_id, item, value FROM study_response WHERE instrument = 'sv_outcomes'"
        )
        stored: dict[tuple[int, str], float] = {}
        duplicated = 0
        for inv, item, value in cur.fetchall():
            if (inv, item) in stored:
                duplicated += 1
            stored[(inv, item)] = value
        cur.execute(
            "SELECT count(*) FROM (SELECT 1 FROM study_response GROUP BY invitation_id, "
            "instrument, item HAVING count(*) > 1) d"
        )
        duplicated += cur.fetchone()[0]
        cur.execute("SELECT id FROM study_invitation WHERE completed_at IS NOT NULL")
        completed = {row[0] for row in cur.fetchall()}
    lost = sum(1 for key, value in stats.confirmed.items() if stored.get(key) != value)
    unconfirmed = len(set(stored) - set(stats.confirmed))
    rate = stats.submissions / seconds
    p50, p95 = percentile(stats.post_ms, 0.50), percentile(stats.post_ms, 0.95)
    print(
        f"submissions: {stats.submissions} pages with {stats.answers} answers in {seconds:g} s = "
        f"{rate:.0f} pages/s ({stats.answers / seconds:.0f} answers/s); latency p50 "
        f"{p50:.1f} ms, p95 {p95:.1f} ms, max {max(stats.post_ms, default=float('nan')):.1f} ms"
    )
    print(
        f"page loads: {len(stats.get_ms)} = {len(stats.get_ms) / seconds:.0f}/s; latency p50 "
        f"{percentile(stats.get_ms, 0.5):.1f} ms, p95 {percentile(stats.get_ms, 0.95):.1f} ms"
    )
    print(
        f"answers confirmed {len(stats.confirmed)}, stored {len(stored)}, lost {lost}, "
        f"duplicated {duplicated}, stored but not confirmed {unconfirmed}; questionnaires "
        f"finished {len(stats.finished)} (completed in the database {len(completed)}, "
        f"missing {len(stats.finished - completed)}); errors {len(stats.errors)}"
        + (f" (first: {stats.errors[0]})" if stats.errors else "")
    )
    pairs = max(stats.submissions, 1)
    web_ms, db_ms = stats.web_cpu * 1000 / pairs, stats.db_cpu * 1000 / pairs
    print(
        f"server CPU per submission with its page load: gunicorn workers {web_ms:.1f} ms, their "
        f"PostgreSQL sessions {db_ms:.1f} ms; two cores given to the server alone would carry "
        f"about {2000 / (web_ms + db_ms):.0f} submissions/s"
    )
    print(
        f"RESULT submissions_per_second={rate:.0f} p95_ms={p95:.1f} lost={lost} "
        f"duplicated={duplicated}"
    )


if __name__ == "__main__":
    main()
