"""Soak: respondents answer for N minutes while workers are killed and PostgreSQL restarts.

Target (issue "Trust", item 5): no answer lost and none stored twice. A throwaway PostgreSQL
cluster and gunicorn (sync workers) serve the site on 127.0.0.1 only; simulated respondents
(``benchmarks/respondents.py``) open and send questionnaire pages at the load of the
Questionnaires issue (200 page submissions a second asked; what this machine reaches is
printed). Every minute one gunicorn worker gets SIGKILL, at 45 % of the run PostgreSQL is
stopped for a few seconds and started again. A page the site does not confirm (a 503 retry
page, a cut connection) is sent again, as a respondent would. Afterwards the answers in the
database are compared with the answers the clients got confirmed: lost (missing or with
another value than the last confirmed), duplicated, and extra (stored, never confirmed).

Run: .venv/bin/python benchmarks/soak.py --minutes 30   (CI runs --minutes 2)
Exits non-zero when anything is lost, duplicated or extra, or a page ended unconfirmed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe
from respondents import Tally, count_stored, prepare, run_load
from services import Gunicorn, PostgresCluster, manage, site_env


def _log(start: float, text: str) -> None:
    print(f"[{time.monotonic() - start:7.1f} s] {text}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="length of the load")
    parser.add_argument("--rate", type=float, default=200.0, help="page submissions a second")
    parser.add_argument("--clients", type=int, default=24, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--kill-every", type=float, default=60.0, help="seconds between kills")
    parser.add_argument("--down-seconds", type=float, default=5.0, help="PostgreSQL down for")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder for the gunicorn log (default: temp)")
    args = parser.parse_args(argv)

    print(describe(packages=("django", "psycopg", "gunicorn")), flush=True)
    seconds = args.minutes * 60
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mentorwijs-soak-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    rng = random.Random(args.seed)
    with PostgresCluster() as cluster:
        url = cluster.create_database()
        env = site_env(url, folder)
        manage(env, "migrate", "--noinput")
        respondents = prepare(env, args.respondents, seed=args.seed, folder=folder)
        _log(start, f"PostgreSQL on port {cluster.port}, {len(respondents)} respondents made")
        server = Gunicorn(env, workers=args.workers, log=folder / "gunicorn.log")
        with server:
            _log(start, f"gunicorn on {server.url} with {args.workers} workers")
            tally = Tally()
            load = threading.Thread(
                target=run_load,
                args=(server.url, respondents),
                kwargs={
                    "seconds": seconds,
                    "rate": args.rate,
                    "clients": args.clients,
                    "seed": args.seed,
                    "tally": tally,
                },
            )
            began = time.monotonic()
            load.start()
            kills, restarts = 0, 0
            restart_at = began + 0.45 * seconds
            next_kill = began + args.kill_every
            while load.is_alive() and time.monotonic() < began + seconds:
                now = time.monotonic()
                if restarts == 0 and now >= restart_at:
                    _log(start, f"restarting PostgreSQL ({args.down_seconds:.0f} s down)")
                    cluster.restart(down_seconds=args.down_seconds)
                    restarts += 1
                    _log(start, f"PostgreSQL back; {tally.pages_confirmed} pages confirmed")
                elif now >= next_kill:
                    pids = server.worker_pids()
                    if pids:
                        pid = server.kill_worker(rng.choice(pids))
                        kills += 1
                        _log(start, f"SIGKILL worker {pid}; {tally.pages_confirmed} pages so far")
                    next_kill += args.kill_every
                time.sleep(0.2)
            load.join()
            elapsed = time.monotonic() - began
        count = count_stored(url, tally, [r.invitation_id for r in respondents])

    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items()))
    print(f"requests: {statuses}")
    print(
        f"pages confirmed {tally.pages_confirmed} in {elapsed:.0f} s "
        f"({tally.pages_confirmed / elapsed:.1f}/s, asked {args.rate:.0f}/s); "
        f"{tally.pages_retried} needed more than one try; POST p95 {tally.p95_ms():.0f} ms"
    )
    print(
        f"answers confirmed {count.confirmed}, stored {count.stored}; lost {count.lost}, "
        f"duplicated {count.duplicated}, extra {count.extra}, unconfirmed at the end "
        f"{count.uncertain}"
    )
    for problem in tally.problems:
        print(f"problem: {problem}")
    print(
        f"RESULT confirmed={count.confirmed} lost={count.lost} duplicated={count.duplicated} "
        f"extra={count.extra} unconfirmed={count.uncertain} stored={count.stored} "
        f"pages_per_second={tally.pages_confirmed / elapsed:.1f} p95_ms={tally.p95_ms():.0f} "
        f"worker_kills={kills} postgres_restarts={restarts} minutes={args.minutes:g}"
    )
    bad = count.lost or count.duplicated or count.extra or count.uncertain or tally.problems
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
