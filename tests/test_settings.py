"""Settings: read through one checked helper; production HTTPS settings; sign-in throttling."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from summit.env import Env, EnvError

ROOT = Path(__file__).resolve().parent.parent


def test_env_reads_and_checks_values():
    env = Env({"N": " 12 ", "F": "2.5", "B": "yes", "L": "a, b,,c", "C": "database"})
    assert env.int("N", 1) == 12
    assert env.int("MISSING", 7) == 7
    assert env.float("F", 1.0) == 2.5
    assert env.bool("B") is True
    assert env.bool("MISSING", True) is True
    assert env.list("L") == ["a", "b", "c"]
    assert env.choice("C", "immediate", {"immediate", "database"}) == "database"
    assert Env({"R": "120/min"}).rate("R") == "120/min"
    assert Env({"R": ""}).rate("R") is None
    assert Env({"U": "redis://cache:6379/1"}).cache("U")["BACKEND"].endswith("RedisCache")
    assert Env({"U": "memcached://cache:11211"}).cache("U")["LOCATION"] == "cache:11211"
    assert Env({}).cache("U") is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "postgres://u:p@h:notaport/db"),
        ("SUMMIT_API_RATE", "0/min"),
        ("SUMMIT_API_RATE", "fast"),
        ("SUMMIT_LOGIN_FAILURES", "99999999999999999999"),
    ],
)
def test_more_wrong_values_stop_the_start_with_one_line(name, value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_clean_environ(**{name: value}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Summit cannot start: {name}=")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("environ", "call", "message"),
    [
        ({"X": "5MB"}, lambda e: e.int("X", 1), "X='5MB' is not a whole number"),
        ({"X": "0"}, lambda e: e.int("X", 1, minimum=1), "X=0 is too small (at least 1)"),
        ({"X": "nan"}, lambda e: e.float("X", 1.0), "X='nan' is not a finite number"),
        ({"X": "perhaps"}, lambda e: e.bool("X"), "X='perhaps' is not on or off"),
        ({"X": "redis"}, lambda e: e.choice("X", "a", {"a", "b"}), "not one of: a, b"),
        ({"X": "10**9"}, lambda e: e.int("X", 1, maximum=100), "not a whole number"),
        ({"X": "1000"}, lambda e: e.int("X", 1, maximum=100), "X=1000 is too large (at most 100)"),
        ({"X": "0/min"}, lambda e: e.rate("X"), "X='0/min' allows no request at all"),
        ({"X": "fast"}, lambda e: e.rate("X"), "X='fast' is not N/period"),
        ({"X": "nonsense://x"}, lambda e: e.database("X", ""), "is not a database URL"),
        ({"X": "postgres://u:secret@h:port/db"}, lambda e: e.database("X", ""), "'h:port/db'"),
        ({"X": "ftp://cache"}, lambda e: e.cache("X"), "X='ftp://cache' is not a cache URL"),
    ],
)
def test_a_wrong_value_names_the_variable_and_what_it_takes(environ, call, message):
    with pytest.raises(EnvError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(Env(environ))


def _clean_environ(**environ):
    """This process's environment without what other tests set for themselves (the
    browser tests allow async-unsafe calls, which the deploy check rightly refuses)."""
    kept = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**kept, "DJANGO_SETTINGS_MODULE": "summit.settings", **environ}


def _run_settings(**environ):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=_clean_environ(**environ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_non_numeric_article_limit_stops_the_start_with_a_clear_message():
    result = _run_settings(SUMMIT_MAX_ARTICLE_BYTES="5MB")
    assert result.returncode != 0
    assert "SUMMIT_MAX_ARTICLE_BYTES='5MB' is not a whole number" in result.stderr
    assert "ValueError" not in result.stderr


@pytest.mark.parametrize(
    "program",
    [["manage.py", "check"], ["-c", "import summit.wsgi"]],
    ids=["manage.py", "wsgi"],
)
def test_a_wrong_value_prints_one_line_without_a_traceback(program):
    result = subprocess.run(
        [sys.executable, *program],
        cwd=ROOT,
        env=_clean_environ(SUMMIT_LOGIN_FAILURES="many"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert (
        result.stderr == "Summit cannot start: SUMMIT_LOGIN_FAILURES='many' is not a whole number\n"
    )


def test_https_settings_give_a_clean_deploy_check():
    """The documented production environment: the only warning left is the HSTS preload
    list, which is opt-in (SUMMIT_HSTS_PRELOAD=1) and explained in the README."""
    environ = {
        "SECRET_KEY": "k" * 20 + "-Vq8w3_lT9xZ0pR5nM2bC7dF1gH4jK6sA8eY0uI3oP5",
        "ALLOWED_HOSTS": "news.example.org",
        "SUMMIT_HTTPS": "1",
        "DEBUG": "0",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_PRELOAD); "
        "from django.core.management import call_command; call_command('check', deploy=True)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_environ(**environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "31536000 True True False"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?: (")]
    assert [w.split()[1] for w in warnings] == ["(security.W021)"]
    preload = _run_settings(**environ, SUMMIT_HSTS_PRELOAD="1")
    assert preload.returncode == 0


# Sign-in throttling --------------------------------------------------------------------


@pytest.fixture
def editor(make):
    return make.editor("kim")


def _sign_in(client, password, next_url="/admin/"):
    return client.post(
        reverse("admin:login") + f"?next={next_url}",
        {"username": "kim", "password": password, "next": next_url},
        REMOTE_ADDR="203.0.113.9",
    )


@pytest.mark.django_db
def test_wrong_passwords_lock_the_username_out_then_an_admin_unlocks_it(client, editor, settings):
    from axes.models import AccessAttempt

    from tests.factories import EDITOR_PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "guess").status_code == 200  # the form again, with its error
    locked = _sign_in(client, "guess")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    # Locked: even the right password does not get in.
    right = _sign_in(client, EDITOR_PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    # An administrator unlocks: the attempts are deleted (the admin's "Access attempts").
    AccessAttempt.objects.filter(username="kim").delete()
    assert _sign_in(client, EDITOR_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@pytest.mark.django_db
def test_a_lockout_is_per_username_and_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess")
    from tests.factories import EDITOR_PASSWORD

    other_address = client.post(
        reverse("admin:login"),
        {"username": "kim", "password": EDITOR_PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_a_sign_in_with_an_unsafe_next_lands_on_the_admin(client, editor):
    from tests.factories import EDITOR_PASSWORD

    response = _sign_in(client, EDITOR_PASSWORD, next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_lockout_holds_in_every_process(client, editor, settings):
    """Counted in the database (axes' database handler), not in a process's cache: a
    worker that never saw the failures, or a cache emptied by reader pages, still locks."""
    from django.core.cache import caches

    from tests.factories import EDITOR_PASSWORD

    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess")
    for cache in caches.all():
        cache.clear()
    assert _sign_in(client, EDITOR_PASSWORD).status_code == 429
