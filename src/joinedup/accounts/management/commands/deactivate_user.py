from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import User
from joinedup.accounts.services import user_deactivate
from joinedup.core.domain.partnership import normalise_email


class Command(BaseCommand):
    help = "Deactivate an account (refused while they still hold open cases: hand those over first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=normalise_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No account for {options['email']}.")
        with service_errors_as_command_errors():
            user_deactivate(actor=None, user=user)
        self.stdout.write(self.style.SUCCESS(f"Deactivated {user.email}; their API tokens are revoked."))
