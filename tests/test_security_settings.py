"""Production settings: Django's deployment checks pass, and nothing weaker slips through.

``MENTORWIJS_ENV=production`` selects the hardened settings; the checks run in a
subprocess with the environment a deployment would have, as ``mentorwijs manage check
--deploy --fail-level WARNING`` (any warning fails).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parent.parent / "src"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MENTORWIJS_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PYTHONPATH=str(SRC),
        MENTORWIJS_ENV="production",
        MENTORWIJS_SECRET_KEY=secrets.token_urlsafe(50),
        MENTORWIJS_ALLOWED_HOSTS="mentorwijs.gemeente.example",
        MENTORWIJS_DATA_DIR=str(tmp_path),
        MENTORWIJS_DEBUG="1",  # ignored in production
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentorwijs.cli", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checks_pass_in_production(tmp_path: Path) -> None:
    done = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_settings_are_strict(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'debug': s.DEBUG, 'secure': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT], 'hsts': s.SECURE_HSTS_SECONDS, "
        "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES'], 'hosts': s.ALLOWED_HOSTS}))"
    )
    env = production_env(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "mentorwijs.web.settings"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    import json

    seen = json.loads(done.stdout)
    assert seen["debug"] is False
    assert seen["secure"] == [True, True, True]
    assert seen["hsts"] >= 31_536_000
    assert seen["hosts"] == ["mentorwijs.gemeente.example"]
    assert all(
        "'unsafe-inline'" not in v and "'unsafe-eval'" not in v for v in seen["csp"].values()
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("MENTORWIJS_SECRET_KEY", "MENTORWIJS_SECRET_KEY must be set in production"),
        ("MENTORWIJS_ALLOWED_HOSTS", "MENTORWIJS_ALLOWED_HOSTS must name the site's host"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(
    tmp_path: Path, missing: str, message: str
) -> None:
    env = production_env(tmp_path)
    del env[missing]
    done = manage(env, "check")
    assert done.returncode != 0
    assert message in done.stderr


@pytest.mark.django_db
def test_every_response_carries_the_policy_and_the_security_headers() -> None:
    response = Client().get("/inloggen/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
