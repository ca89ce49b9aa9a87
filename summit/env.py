"""Reading settings from the environment, each value checked, with a message that says
which variable is wrong and what it takes.

Settings import nothing from Django here on purpose: a wrong value stops the process at
start with :class:`EnvError` (an ``ImproperlyConfigured``), never later in a request.
"""

from __future__ import annotations

import builtins
import os
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
        self, name: builtins.str, default: builtins.int, *, minimum: builtins.int | None = None
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
