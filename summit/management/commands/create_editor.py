"""Create an editor: a staff user in the "Editors" group (readers need no account)."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from summit.services.roles import EDITORS_GROUP, editor_create

PASSWORD_ENV = "SUMMIT_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create a staff user in the {EDITORS_GROUP} group (or make an existing user one). "
        f"The password comes from --password, a prompt, or with --no-input ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help=f"Prefer the prompt or ${PASSWORD_ENV}.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; read the password from ${PASSWORD_ENV}.",
        )

    def handle(self, *args, username, email, password, interactive, **options):
        user_model = get_user_model()
        exists = user_model._default_manager.filter(
            **{user_model.USERNAME_FIELD: username}
        ).exists()
        if password is None:
            if not interactive:
                password = os.environ.get(PASSWORD_ENV) or None
                if password is None and not exists:
                    raise CommandError(f"--no-input needs ${PASSWORD_ENV} set to the password.")
            elif not exists or self._confirm("Set a new password? [y/N] "):
                password = self._prompt_password()
        if password is not None:
            candidate = user_model(**{user_model.USERNAME_FIELD: username, "email": email})
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None

        user, created = editor_create(username=username, email=email, password=password)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} editor {user.get_username()} in the {EDITORS_GROUP} group.")
        )

    def _confirm(self, question: str) -> bool:
        return input(question).strip().lower() in {"y", "yes"}

    def _prompt_password(self) -> str:
        for _ in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if not first:
                self.stderr.write("The password cannot be empty.")
            elif first != second:
                self.stderr.write("The passwords do not match.")
            else:
                return first
        raise CommandError("No password given.")
