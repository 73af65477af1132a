"""Staff accounts: Argon2 passwords, two-factor authentication, lock-out, idle sessions.

The login goes through the real views and middleware with a real TOTP device of
django-otp; the codes are computed from the device's key as an authenticator app would
(RFC 6238), so a wrong clock, a replayed code or a throttled device fail as in production.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorwijs.web.accounts.testing import totp_device_for, totp_token, verified_login
from mentorwijs.web.registry.testing import World, world_build

pytestmark = pytest.mark.django_db
PASSWORD = "een-lang-testwachtwoord"


@pytest.fixture
def world(db, settings: Any) -> World:
    # A fast hasher for the registry's users; the Argon2 tests below use the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return world_build(password=PASSWORD)


def password_login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/inloggen/", {"username": username, "password": password}, **extra)


def test_passwords_are_hashed_with_argon2id(db) -> None:
    user = get_user_model().objects.create_user("ada", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(db) -> None:
    user = get_user_model().objects.create_user("bea")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    response = password_login(Client(), "bea")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.parametrize("username", ["coordinator_own", "researcher"])
def test_a_coordinator_or_researcher_without_an_app_must_set_one_up_first(
    world: World, username: str
) -> None:
    client = Client()
    response = password_login(client, username)
    assert response.status_code == 302
    for page in ("/", "/registratie/", "/evaluaties/", "/registratie/leidinggevenden/S-ANNA/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/account/tweestaps/?next="), page
    assert "Anna de Vries" not in client.get(page, follow=True).content.decode()


def test_a_trainer_without_an_app_goes_straight_in(world: World) -> None:
    client = Client()
    password_login(client, "trainer_own")
    assert client.get("/registratie/trainer/").status_code == 200


def test_a_trainer_who_set_up_an_app_must_use_it(world: World) -> None:
    totp_device_for(world.users["trainer_own"])
    client = Client()
    password_login(client, "trainer_own")
    response = client.get("/registratie/trainer/")
    assert response["Location"] == "/account/code/?next=%2Fregistratie%2Ftrainer%2F"


def test_enrolling_shows_a_qr_code_and_the_key_then_a_right_code_confirms_it(
    world: World,
) -> None:
    client = Client()
    password_login(client, "coordinator_own")
    page = client.get("/account/tweestaps/?next=/registratie/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/png;base64,' in html
    assert "Tweestapsverificatie instellen" in html
    device = TOTPDevice.objects.get(user=world.users["coordinator_own"])
    assert not device.confirmed
    response = client.post(
        "/account/tweestaps/", {"token": totp_token(device), "next": "/registratie/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/registratie/")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/registratie/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message_in_dutch_and_english(world: World) -> None:
    device = totp_device_for(world.users["coordinator_own"])
    right = totp_token(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for lang, text in (("nl", "Deze code klopt niet."), ("en", "This code is not right.")):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        client = Client(HTTP_ACCEPT_LANGUAGE=lang)
        password_login(client, "coordinator_own")
        response = client.post("/account/code/", {"token": wrong})
        assert response.status_code == 400
        assert text in response.content.decode()
        assert client.get("/registratie/").status_code == 302


def test_the_code_step_passes_with_the_right_code_and_never_twice_with_the_same(
    world: World,
) -> None:
    device = totp_device_for(world.users["coordinator_own"])
    code = totp_token(device)
    first = Client()
    password_login(first, "coordinator_own")
    response = first.post("/account/code/", {"token": code, "next": "/registratie/"})
    assert response["Location"] == "/registratie/"
    assert first.get("/registratie/").status_code == 200
    replay = Client()
    password_login(replay, "coordinator_own")
    assert replay.post("/account/code/", {"token": code}).status_code == 400
    assert replay.get("/registratie/").status_code == 302


def test_wrong_codes_are_throttled_even_before_the_right_one(world: World) -> None:
    device = totp_device_for(world.users["coordinator_own"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_login(client, "coordinator_own")
    client.post("/account/code/", {"token": "000000" if totp_token(device) != "000000" else "1"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Five failures in a row: django-otp now waits 2**4 = 16 s before it checks a code.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    response = client.post("/account/code/", {"token": totp_token(device)})
    assert response.status_code == 400
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/registratie/").status_code == 302


def test_the_next_page_must_be_on_this_site(world: World) -> None:
    device = totp_device_for(world.users["coordinator_own"])
    client = Client()
    password_login(client, "coordinator_own")
    response = client.post(
        "/account/code/", {"token": totp_token(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_test_helper_does_not_open_a_door_for_other_sessions(world: World) -> None:
    user = world.users["researcher"]
    verified_login(Client(), user)
    other = Client()
    other.force_login(user)  # a session without the code step
    assert other.get("/registratie/logboek/").status_code == 302


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_page(
    world: World, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = password_login(Client(), "trainer_own", "fout-wachtwoord")
        assert response.status_code == 200
    # The failure that reaches the limit locks, and so does every try after it.
    assert password_login(Client(), "trainer_own", "fout-wachtwoord").status_code == 429
    for lang, text in (("nl", "Te veel mislukte pogingen"), ("en", "Too many failed logins")):
        response = password_login(Client(HTTP_ACCEPT_LANGUAGE=lang), "trainer_own")
        assert response.status_code == 429, lang
        assert text in response.content.decode()
    # The lock holds for the user name from another address too.
    response = password_login(Client(REMOTE_ADDR="198.51.100.7"), "trainer_own")
    assert response.status_code == 429


def test_the_lock_lifts_after_the_cool_off(world: World, settings: Any) -> None:
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(Client(), "trainer_own", "fout-wachtwoord")
    assert password_login(Client(), "trainer_own").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert password_login(Client(), "trainer_own").status_code == 302


def test_many_user_names_from_one_address_lock_that_address(world: World, settings: Any) -> None:
    names = ["ada", "bea", "cor", "dik", "eef", "fem"][: settings.AXES_FAILURE_LIMIT]
    for name in names:
        password_login(Client(), name, "raden")
    assert password_login(Client(), "trainer_own").status_code == 429
    assert password_login(Client(REMOTE_ADDR="198.51.100.8"), "trainer_own").status_code == 302


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_staff_session_ends_after_the_idle_time(world: World, settings: Any) -> None:
    settings.MENTORWIJS_STAFF_IDLE_SECONDS = 5 * 60
    client = verified_login(Client(), world.users["coordinator_own"])
    assert client.get("/registratie/").status_code == 200
    expires = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=4) < expires <= timedelta(minutes=5)
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/registratie/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_a_request_pushes_the_idle_expiry_forward(world: World, settings: Any) -> None:
    client = verified_login(Client(), world.users["coordinator_own"])
    client.get("/registratie/")
    session = client.session
    session["mentorwijs_seen"] = 0  # last seen long ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=30)
    )
    assert client.get("/registratie/").status_code == 200
    left = _session(client).expire_date - timezone.now()
    assert left > timedelta(seconds=settings.MENTORWIJS_STAFF_IDLE_SECONDS - 60)


def test_respondent_pages_get_no_session_and_so_no_time_out(world: World) -> None:
    response = Client().get("/v/een-token/")
    assert "sessionid" not in response.cookies


def test_the_admin_site_needs_the_second_factor_too(world: World) -> None:
    admin = get_user_model().objects.create_superuser("beheerder", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    assert client.get("/beheer/")["Location"].startswith("/account/tweestaps/")
    verified_login(client, admin)
    assert client.get("/beheer/").status_code == 200


def test_behind_a_proxy_the_address_the_proxy_saw_counts_not_what_the_client_wrote(
    settings: Any,
) -> None:
    from django.test import RequestFactory

    from mentorwijs.web.middleware import client_ip

    def seen(forwarded: str) -> str:
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        return client_ip(request)

    settings.MENTORWIJS_PROXY_COUNT = 0
    assert seen("203.0.113.9") == "10.0.0.2"  # no proxy trusted: the header is ignored
    settings.MENTORWIJS_PROXY_COUNT = 1
    assert seen("203.0.113.9") == "203.0.113.9"
    assert seen("198.51.100.1, 203.0.113.9") == "203.0.113.9"  # a forged first entry is ignored
    assert seen("") == "10.0.0.2"
