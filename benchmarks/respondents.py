"""Simulated respondents answering questionnaires over HTTP, and the count of what was stored.

Three parts, shared by the benchmarks and the resilience tests:

- ``python benchmarks/respondents.py setup --count N`` (in a process whose environment
  points at the site's database) makes N respondents with consent and a personal link:
  supervisors at T1 (seven pages, one item shown only after a "yes") and employees at T0 in
  easy-read mode (one question per page). For every page it writes a few variants of valid
  answers and what each variant stores, as JSON.
- :func:`run_load` lets client threads answer page after page over HTTP at a set rate:
  open the page, send it, and when the site does not confirm (anything but the redirect to
  the next page: a 503 retry page, a cut connection, a time-out) send the same page again,
  as a respondent would, until it is confirmed. A confirmed page counts its answers.
- :func:`count_stored` reads what the database holds and compares it with what was
  confirmed: lost (confirmed but missing or different), duplicated, and extra (stored but
  never confirmed).

Traffic goes only to the site given (127.0.0.1); every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

Key = tuple[int, str, str]  # invitation id, instrument, item
Value = tuple[float | None, str | None]

#: Free texts that must be stored exactly as typed.
TEXTS = (
    "Het ging goed.",
    "Robert'); DROP TABLE study_response;--",
    '<script>alert("x")</script> & <b>vet</b>',
    "Café, één, naïef: 😀",
    "50% of 'de' groep \\ \"quotes\"",
)


# --- setup: runs inside Django --------------------------------------------------------------


def _condition_sources(plan: Any) -> set[tuple[str, str]]:
    """Items that some ``show_if`` refers to: they keep one answer, so the pages stay put."""
    codes = set()
    for page in plan.pages:
        for it in page.items:
            if it.show_if:
                for other in plan.pages:
                    for o in other.items:
                        if o.code in it.show_if.replace("=", " ").split():
                            codes.add((other.instrument, o.code))
    return codes


def _value(item: Any, plan: Any, rng: random.Random, fixed: bool) -> list[str]:
    if item.answer_scale is not None:
        values = [str(v) for v in plan.protocol.answer_scales[item.answer_scale].values]
        if fixed:
            return [values[0]]
        if item.multiple:
            return sorted(rng.sample(values, rng.randint(1, len(values))))
        return [rng.choice(values)]
    if item.validation is not None:
        return [{"email": "a@b.nl", "phone": "0612345678", "postcode": "1234 AB"}[item.validation]]
    lo = item.minimum if item.minimum is not None else 0
    hi = item.maximum if item.maximum is not None else 40
    if item.type == "integer":
        return [str(rng.randint(int(lo), int(hi)))]
    if item.type == "number":
        return [f"{rng.uniform(lo, hi):.1f}".replace(".", ",")]
    if item.type == "date":
        return [f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
    return [rng.choice(TEXTS)]


def _pages(plan: Any, rng: random.Random, variants: int) -> list[dict[str, Any]]:
    """The visible pages with ``variants`` sets of answers each and what each stores."""
    from django.http import QueryDict

    from mentorwijs.web.survey.answers import condition_answers
    from mentorwijs.web.survey.pages import read_page

    sources = _condition_sources(plan)
    stored: dict[tuple[str, str], Any] = {}  # the fixed answers that decide what is shown
    out = []
    for page in plan.pages:
        if not plan.page_visible(page, condition_answers(stored)):
            continue
        rows = []
        for _ in range(variants):
            data = {
                it.code: _value(it, plan, rng, (page.instrument, it.code) in sources)
                for it in page.items
                if it.has_answer
            }
            post = QueryDict(mutable=True)
            for code, values in data.items():
                post.setlist(code, values)
            posted = read_page(plan, page, stored, post)
            if posted.errors:
                raise ValueError(f"setup made invalid answers on page {page.number}: {posted}")
            answers = {code: s for code, s in posted.answers.items() if s is not None}
            expected = [[page.instrument, code, s.value, s.text] for code, s in answers.items()]
            rows.append({"data": data, "expected": expected})
        stored.update(
            {(page.instrument, c): s for c, s in answers.items() if (page.instrument, c) in sources}
        )
        out.append({"number": page.number, "variants": rows})
    return out


def setup(count: int, seed: int, variants: int = 3) -> list[dict[str, Any]]:
    """Make ``count`` respondents with links (Django must be set up); JSON-ready rows."""
    from django.db import transaction

    from mentorwijs.web.survey.plan import wave_plan
    from mentorwijs.web.survey.testing import respondent_link

    rng = random.Random(seed)
    plans = {
        "supervisor": wave_plan(role="supervisor", wave="T1", easy=False),
        "employee": wave_plan(role="employee", wave="T0", easy=True),
    }
    rows = []
    for i in range(count):
        role = "employee" if i % 10 >= 7 else "supervisor"
        pseudonym = f"{'E' if role == 'employee' else 'S'}-LOAD-{seed}-{i:06d}"
        with transaction.atomic():
            link, token = respondent_link(
                pseudonym=pseudonym,
                role=role,
                wave="T0" if role == "employee" else "T1",
                easy_read=role == "employee",
                consent=True,
            )
        rows.append(
            {
                "token": token,
                "invitation_id": link.invitation_id,
                "role": role,
                "pages": _pages(plans[role], rng, variants),
            }
        )
    return rows


def prepare(env: dict[str, str], count: int, *, seed: int = 1, folder: Path) -> list[Respondent]:
    """Run :func:`setup` in a child process on the site's database; the respondents."""
    import subprocess

    out = folder / f"respondents-{seed}.json"
    subprocess.run(
        [sys.executable, __file__, "setup", "--count", str(count), "--seed", str(seed),
         "--out", str(out)],
        env=env,
        check=True,
    )  # fmt: skip
    return [Respondent.from_json(r) for r in json.loads(out.read_text())]


# --- the load: plain HTTP clients in threads ------------------------------------------------


@dataclass
class Respondent:
    """One respondent of the load: the token and the pages with their variants."""

    token: str
    invitation_id: int
    pages: list[dict[str, Any]]
    cursor: int = 0

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Respondent:
        return cls(row["token"], row["invitation_id"], row["pages"])


@dataclass
class Tally:
    """What the clients saw, shared by the threads (use :meth:`add` and :meth:`confirm`)."""

    confirmed: dict[Key, Value] = field(default_factory=dict)
    uncertain: set[Key] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    pages_confirmed: int = 0
    pages_retried: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, latency_ms: float | None = None) -> None:
        with self.lock:
            self.statuses[what] += 1
            if latency_ms is not None:
                self.latencies_ms.append(latency_ms)

    def confirm(self, invitation_id: int, expected: list[list[Any]], retried: bool) -> None:
        with self.lock:
            for ins, item, value, text in expected:
                key = (invitation_id, ins, item)
                self.confirmed[key] = (value, text)
                self.uncertain.discard(key)
            self.pages_confirmed += 1
            self.pages_retried += int(retried)

    def give_up(self, invitation_id: int, expected: list[list[Any]]) -> None:
        """A page sent but never confirmed (the run ended): its answers may or may not be in."""
        with self.lock:
            self.uncertain.update((invitation_id, ins, item) for ins, item, _, _ in expected)

    def p95_ms(self) -> float:
        with self.lock:
            data = sorted(self.latencies_ms)
        return data[int(0.95 * (len(data) - 1))] if data else float("nan")


class _Pacer:
    """Hands out send times ``rate`` per second (open loop; a late client sends at once)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self, until: float) -> bool:
        with self.lock:
            now = time.monotonic()
            at = max(self.next, now - 1.0)  # no burst to catch up more than a second
            self.next = at + self.interval
        if at >= until:
            return False
        time.sleep(max(0.0, at - time.monotonic()))
        return True


def _request(
    base: str, method: str, path: str, body: str | None, timeout: float
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def post_until_confirmed(
    base: str,
    path: str,
    body: str,
    *,
    tally: Tally,
    deadline: float,
    timeout: float = 30.0,
    open_first: bool = True,
) -> tuple[bool, bool]:
    """Open the page, then send it until the site confirms (302) or ``deadline`` passes.

    Returns (confirmed, retried). A 503 retry page, a cut connection or a time-out is sent
    again after a short pause; what the site answered each time is counted in ``tally``.
    """
    retried = False
    if open_first:
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = _request(base, "GET", path, None, timeout)
            tally.add(f"GET {status}")
    pause = 0.2
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            status, headers, content = _request(base, "POST", path, body, timeout)
        except (OSError, http.client.HTTPException) as exc:
            tally.add(f"POST {type(exc).__name__}")
        else:
            tally.add(f"POST {status}", (time.monotonic() - start) * 1000)
            if status == 302:
                return True, retried
            if status != 503:
                with tally.lock:
                    if len(tally.problems) < 20:
                        tally.problems.append(f"{status} on {path[:12]}…: {content[:300]!r}")
                return False, retried
            if b"Traceback" in content or "Retry-After" not in headers:
                with tally.lock:
                    tally.problems.append(f"a 503 without the calm retry page: {content[:300]!r}")
        retried = True
        time.sleep(pause)
        pause = min(pause * 2, 2.0)
    return False, retried


def run_load(
    base: str,
    respondents: list[Respondent],
    *,
    seconds: float,
    rate: float,
    clients: int = 16,
    grace: float = 90.0,
    seed: int = 1,
    tally: Tally | None = None,
) -> Tally:
    """Answer pages for ``seconds`` at ``rate`` page submissions a second; the tally.

    Each client takes a respondent who is not busy, sends the next page (one of its answer
    variants) until it is confirmed, and puts the respondent back; after the last page a
    respondent starts again from the first with other answers. After ``seconds`` no new page
    is begun; a page in flight may take ``grace`` seconds more to be confirmed. Pass a
    ``tally`` to watch it while the load runs (in another thread).
    """
    import queue

    tally = tally if tally is not None else Tally()
    free: queue.Queue[Respondent] = queue.Queue()
    order = list(respondents)
    random.Random(seed).shuffle(order)
    for r in order:
        free.put(r)
    pacer = _Pacer(rate)
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < stop_at:
            try:
                r = free.get(timeout=1)
            except queue.Empty:
                continue
            try:
                if not pacer.wait(stop_at):
                    return
                page = r.pages[r.cursor]
                variant = rng.choice(page["variants"])
                body = urlencode(
                    [(k, v) for k, values in variant["data"].items() for v in values]
                    + [("action", "next")]
                )
                path = f"/v/{r.token}/{page['number']}/"
                ok, retried = post_until_confirmed(
                    base, path, body, tally=tally, deadline=stop_at + grace
                )
                if ok:
                    tally.confirm(r.invitation_id, variant["expected"], retried)
                    r.cursor = (r.cursor + 1) % len(r.pages)
                else:
                    tally.give_up(r.invitation_id, variant["expected"])
            finally:
                free.put(r)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + grace + 60)
    return tally


# --- counting what the database holds -------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Confirmed answers against stored ones."""

    confirmed: int
    stored: int
    lost: int
    duplicated: int
    extra: int
    uncertain: int


def count_stored(database_url: str, tally: Tally, invitation_ids: list[int]) -> Count:
    """Compare the database's answers of ``invitation_ids`` with the confirmed ones.

    lost: confirmed answers missing or with another value than the last one confirmed;
    duplicated: rows beyond one per (invitation, instrument, item); extra: stored answers
    never confirmed. Answers of a page still unconfirmed when the run ended are left out.
    """
    rows = stored_rows(database_url, invitation_ids)
    seen: Counter[Key] = Counter()
    values: dict[Key, Value] = {}
    for inv, ins, item, value, text in rows:
        seen[(inv, ins, item)] += 1
        values[(inv, ins, item)] = (value, text)
    uncertain = tally.uncertain
    lost = sum(
        1
        for key, want in tally.confirmed.items()
        if key not in uncertain and (key not in values or not _same(values[key], want))
    )
    extra = sum(1 for key in values if key not in tally.confirmed and key not in uncertain)
    return Count(
        confirmed=len(tally.confirmed),
        stored=len(rows),
        lost=lost,
        duplicated=sum(n - 1 for n in seen.values()),
        extra=extra,
        uncertain=len(uncertain),
    )


def stored_rows(database_url: str, invitation_ids: list[int]) -> list[tuple[Any, ...]]:
    """(invitation, instrument, item, value, text) of every stored answer of the invitations,
    read straight from PostgreSQL (``postgres://``) or SQLite (``sqlite:///path``)."""
    sql = "SELECT invitation_id, instrument, item, value, text FROM study_response "
    if database_url.startswith("sqlite:"):
        import sqlite3

        marks = ",".join("?" * len(invitation_ids))
        with contextlib.closing(sqlite3.connect(urlsplit(database_url).path)) as conn:
            return conn.execute(
                sql + f"WHERE invitation_id IN ({marks})", invitation_ids
            ).fetchall()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql + "WHERE invitation_id = ANY(%s)", (invitation_ids,)).fetchall()


def _same(got: Value, want: Value) -> bool:
    (gv, gt), (wv, wt) = got, want
    if (gv is None) != (wv is None) or gt != wt:
        return False
    return gv is None or wv is None or abs(gv - wv) < 1e-9


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup", help="make respondents with links (Django settings from env)")
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    import django

    django.setup()
    args.out.write_text(json.dumps(setup(args.count, args.seed)))


if __name__ == "__main__":
    main()
