"""Reading settings from the environment, each value checked, with a message that says
which variable is wrong and what it takes.

Settings import nothing from Django here on purpose: a wrong value stops the process at
start with :class:`EnvError` (an ``ImproperlyConfigured``), never later in a request.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """An environment variable holds a value its setting cannot take."""


@contextmanager
def stop_on_env_error() -> Iterator[None]:
    """Around a program's start (manage.py, the WSGI application): a wrong environment
    value prints one line saying which variable and what it takes, and exits with status
    2, instead of a traceback through the settings module."""
    try:
        yield
    except EnvError as error:
        print(f"Summit cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from None


class Env:
    """Typed reads of ``environ`` (``os.environ`` unless given)."""

    def __init__(self, environ: Mapping[builtins.str, builtins.str] | None = None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def str(self, name: builtins.str, default: builtins.str = "") -> builtins.str:
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name: builtins.str, default: builtins.bool = False) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise EnvError(f"{name}={value!r} is not on or off (use 1/0, true/false, yes/no, on/off)")

    def int(
        self,
        name: builtins.str,
        default: builtins.int,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value.replace("_", ""))
        except ValueError:
            raise EnvError(f"{name}={value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise EnvError(f"{name}={number} is too small (at least {minimum})")
        if maximum is not None and number > maximum:
            raise EnvError(f"{name}={number} is too large (at most {maximum})")
        return number

    def float(
        self, name: builtins.str, default: builtins.float, *, minimum: builtins.float | None = None
    ) -> builtins.float:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = float(value)
        except ValueError:
            raise EnvError(f"{name}={value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise EnvError(f"{name}={value!r} is not a finite number")
        if minimum is not None and number < minimum:
            raise EnvError(f"{name}={number} is too small (at least {minimum})")
        return number

    def list(self, name: builtins.str, default: builtins.str = "") -> builtins.list[builtins.str]:
        value = self.str(name, default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(
        self,
        name: builtins.str,
        default: builtins.str,
        choices: Mapping[builtins.str, object] | set[builtins.str],
    ) -> builtins.str:
        value = self.str(name, default) or default
        if value not in choices:
            allowed = ", ".join(sorted(choices))
            raise EnvError(f"{name}={value!r} is not one of: {allowed}")
        return value

    def rate(self, name: builtins.str) -> builtins.str | None:
        """A rate such as ``120/min`` (at least 1 request per s, min, hour or day), or
        None when unset or empty (no limit)."""
        value = self.str(name)
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,9})/(s|sec|m|min|h|hour|d|day)", value)
        if match is None:
            raise EnvError(f"{name}={value!r} is not N/period (e.g. 120/min; s, min, hour, day)")
        if int(match[1]) < 1:
            raise EnvError(f"{name}={value!r} allows no request at all (leave it empty: no limit)")
        return value

    def database(self, name: builtins.str, default: builtins.str, **options) -> dict:
        """The database settings of a URL (dj-database-url), or a clear :class:`EnvError`."""
        import dj_database_url

        value = self.str(name) or default
        try:
            return dict(dj_database_url.parse(value, **options))
        except (ValueError, dj_database_url.UnknownSchemeError, dj_database_url.ParseError) as exc:
            shown = value.split("@")[-1] if "@" in value else value  # no password printed
            raise EnvError(f"{name}=…{shown!r} is not a database URL ({exc})") from None

    def cache(self, name: builtins.str) -> dict | None:
        """A ``CACHES`` entry from a URL: ``redis://`` or ``rediss://`` (Django's Redis
        backend) or ``memcached://HOST:PORT`` (its pymemcache backend); None when unset."""
        value = self.str(name)
        if not value:
            return None
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme in {"redis", "rediss"}:
            return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
        if scheme == "memcached" and value[len("memcached://") :]:
            return {
                "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": value[len("memcached://") :],
            }
        raise EnvError(
            f"{name}={value!r} is not a cache URL (redis://HOST:PORT/DB, rediss://…, "
            "memcached://HOST:PORT)"
        )
