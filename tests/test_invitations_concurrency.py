"""Two runs of ``send-invitations`` at once send nothing twice (PostgreSQL, real SMTP).

Forty supervisors with an e-mail address are due T0. The SMTP server answers slowly
(0.1 s a message), so two runs started together overlap for seconds. Each recipient must
receive exactly one message, every delivery must have been tried exactly once, and the
invitations must not be duplicated, whether the runs are two threads started at one
barrier (each with its own database connection) or two processes of the real command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from mentorwijs.web.invitations import services
from mentorwijs.web.invitations.models import Delivery
from mentorwijs.web.invitations.testing import Inbox, smtp_server
from mentorwijs.web.registry import models as r
from mentorwijs.web.registry.crypto import identity_keys
from mentorwijs.web.registry.testing import world_build
from mentorwijs.web.study import models as m

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 40
SITE = "https://mentorwijs.test"
T0_DAY = timezone.make_aware(datetime(2026, 2, 23, 9, 0))


@pytest.fixture
def crowd(db: Any) -> list[str]:
    world = world_build(start=date(2026, 3, 2))
    m.Employee.objects.update(consent_questionnaire=False)  # supervisors only, by e-mail
    r.SupervisorIdentity.objects.filter(supervisor=world.carla).update(email="carla@vallei.example")
    addresses = ["anna.devries@korenaar.example", "carla@vallei.example"]
    for i in range(N - 2):
        sup = m.Supervisor.objects.create(
            supervisor_id=f"S-X{i:02d}", organisation=world.own_employer,
            training_group=world.own_group,
        )  # fmt: skip
        address = f"leiding{i:02d}@korenaar.example"
        r.SupervisorIdentity.objects.create(supervisor=sup, name=f"Persoon {i}", email=address)
        addresses.append(address)
    return sorted(addresses)


@pytest.fixture
def inbox(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MENTORWIJS_DATA_DIR", str(tmp_path / "data"))
    with smtp_server() as (box, port):
        box.delay = 0.1
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.DEFAULT_FROM_EMAIL = "onderzoek@mentorwijs.test"
        settings.MENTORWIJS_SITE_URL = SITE
        yield box


def _check_once(inbox: Inbox, addresses: list[str]) -> None:
    received = Counter(str(msg["To"]) for msg in inbox.messages)
    assert sorted(received) == addresses
    assert set(received.values()) == {1}, [a for a, n in received.items() if n > 1]
    assert m.Invitation.objects.count() == N
    assert Delivery.objects.count() == N
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_two_runs_in_threads_at_once_send_every_mail_exactly_once(
    crowd: list[str], inbox: Inbox
) -> None:
    barrier = threading.Barrier(2)
    reports: list[services.RunReport] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        try:
            barrier.wait()
            reports.append(services.invitations_run(now=T0_DAY))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    _check_once(inbox, crowd)
    sent = [rep.sent["email"] for rep in reports]
    assert sum(sent) == N
    # Both runs did part of the work: they really ran at the same time.
    assert min(sent) > 0, sent
    assert sum(sum(rep.invitations.values()) for rep in reports) == N


def test_two_processes_of_the_command_at_once_send_every_mail_exactly_once(
    crowd: list[str], inbox: Inbox, tmp_path: Path, settings: Any
) -> None:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "MENTORWIJS_DATABASE_URL": url,
        "MENTORWIJS_EMAIL_HOST": "127.0.0.1",
        "MENTORWIJS_EMAIL_PORT": str(settings.EMAIL_PORT),
        "MENTORWIJS_EMAIL_FROM": "onderzoek@mentorwijs.test",
        "MENTORWIJS_SITE_URL": SITE,
        "MENTORWIJS_DATA_DIR": str(tmp_path / "data"),
        "MENTORWIJS_LANG": "en",
    }
    keys = identity_keys()  # the processes must decrypt the identities this one stored
    if keys.source != "MENTORWIJS_IDENTITY_KEY":
        env["MENTORWIJS_IDENTITY_KEY_FILE"] = keys.source
    command = [sys.executable, "-m", "mentorwijs.cli", "send-invitations", "--now",
               T0_DAY.isoformat()]  # fmt: skip
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in runs]
    for p, (_out, err) in zip(runs, outputs, strict=True):
        assert p.returncode == 0, err.decode()
    _check_once(inbox, crowd)
    sent = [int(out.decode().split("E-mails sent: ")[1].split(";")[0]) for out, _ in outputs]
    assert sum(sent) == N
