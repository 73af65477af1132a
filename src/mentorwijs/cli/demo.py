"""`mentorwijs demo`: the main job end to end on a simulated study."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEMO_SCALE = "study"


def run_demo(
    *,
    out: Path,
    seed: int,
    lang: str,
    step: Callable[..., Any],
    say: Callable[..., None],
    fail: Callable[..., None],
) -> list[Path]:
    """Simulate → load → export → evaluate → report, printing progress and the results.

    The database is the configured one (SQLite in the user's data folder by default), so
    ``mentorwijs serve`` afterwards shows the demo. A database that holds other study data
    than an earlier demo is never touched. After the products, a group about to start is
    registered in the demo region with T0 invitations for a few fictitious people in Dutch
    and English, standard and easy-read (``registry.demo``), and one personal link is
    printed to try the questionnaire with.
    """
    from mentorwijs.evaluation.pipeline import evaluate_package
    from mentorwijs.reports import render_report
    from mentorwijs.simulation import simulate_package
    from mentorwijs.studydata import read_package
    from mentorwijs.web import commands

    out = out.resolve()
    package, exported, result_dir = out / "package", out / "export", out / "result"
    n = 6
    with step(1, n, "Studie simuleren", "Simulating a study"):
        simulate_package(package, seed=seed, scale=DEMO_SCALE)
    with step(2, n, "Database voorbereiden", "Preparing the database"):
        commands.configure()
        commands.migrate()
        meta = commands.study_meta()
    if meta is not None and not meta.get("demo"):
        fail(
            "de database ({db}) bevat al echte studiegegevens; de demo laat die met rust. "
            "Kies een andere database met MENTORWIJS_DATABASE_URL of MENTORWIJS_DATA_DIR.",
            "the database ({db}) already holds real study data; the demo leaves it alone. "
            "Choose another database with MENTORWIJS_DATABASE_URL or MENTORWIJS_DATA_DIR.",
            db=commands.database_label(),
        )
    with step(3, n, "Pakket in de database laden", "Loading the package into the database"):
        if meta is not None:  # an earlier demo: its questionnaire links go with its study
            from mentorwijs.web.registry.demo import demo_questionnaires_clear

            demo_questionnaires_clear()
        commands.load(package, replace=True, extra_meta={"demo": True})
    with step(4, n, "Pakket uit de database exporteren", "Exporting the package from the database"):
        commands.export(exported)
        data = read_package(exported)
    with step(5, n, "Evalueren", "Evaluating"):
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        result = evaluate_package(data, seed=seed, created_at=created)
        result.save(result_dir)
    with step(6, n, "Producten schrijven", "Writing the products"):
        paths = [
            path
            for product in ("report", "factsheet", "guide", "easyread")
            for path in render_report(result, out, lang=lang, product=product)
        ]
    users = commands.ensure_demo_users()
    from mentorwijs.web.registry.demo import demo_invitations_create

    invitations = demo_invitations_create()
    say("\nGeschreven:", "\nWritten:")
    for p in [*paths, result_dir, exported]:
        say("  {p}", "  {p}", p=p)
    say(
        "\nOpen de site met:  mentorwijs serve   (daarna http://127.0.0.1:8000/)",
        "\nOpen the site with:  mentorwijs serve   (then http://127.0.0.1:8000/)",
    )
    for username, password in users:
        say(
            "Demo-inlog: gebruiker {u}, wachtwoord {p}",
            "Demo login: user {u}, password {p}",
            u=username,
            p=password,
        )
    if invitations:
        # The supervisor who reads the language of this run, in standard mode.
        mine = next(
            (i for i in invitations if i.role == "supervisor" and i.language == lang),
            invitations[0],
        )
        say(
            "\n{n} uitnodigingen voor T0 klaargezet (Nederlands en Engels, standaard en "
            "makkelijk lezen; niets verstuurd). Vul de vragenlijst in als {name}, "
            "leidinggevende, terwijl mentorwijs serve draait:\n  {url}",
            "\n{n} T0 invitations prepared (Dutch and English, standard and easy-read; nothing "
            "sent). Answer the questionnaire as {name}, supervisor, while mentorwijs serve "
            "runs:\n  {url}",
            n=len(invitations),
            name=mine.name,
            url=mine.url,
        )
    return paths
