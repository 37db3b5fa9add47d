from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import User
from joinedup.accounts.services import token_issue
from joinedup.core.domain.partnership import normalise_email


class Command(BaseCommand):
    help = "Print a new API bearer token for a user (only the token, on stdout). It acts as that user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="what the token is for, e.g. 'police RMS bridge'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=normalise_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No account for {options['email']}.")
        with service_errors_as_command_errors():
            _, raw = token_issue(actor=None, user=user, name=options["name"])
        self.stdout.write(raw)
