from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import User
from joinedup.accounts.services import second_factor_reset
from joinedup.core.domain.partnership import normalise_email


class Command(BaseCommand):
    help = (
        "For someone who has lost their phone, passkey and recovery codes: remove all their second-factor devices "
        "and end their sessions, so they set up a new one at their next sign-in. Check who they are first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=normalise_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No account for {options['email']}.")
        with service_errors_as_command_errors():
            removed = second_factor_reset(actor=None, user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} second-factor device(s) of {user.email}; they set up a new one next."
            )
        )
