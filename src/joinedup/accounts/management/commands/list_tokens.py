from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from joinedup.accounts.models import ApiToken, User
from joinedup.core.domain.partnership import normalise_email


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y") if value else "-"


class Command(BaseCommand):
    help = "List a user's API tokens by id (never the tokens themselves): name, issued, expires, last used, state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=normalise_email(options["email"])).first()
        if user is None:
            raise CommandError(f"No account for {options['email']}.")
        now = timezone.now()
        tokens = ApiToken.objects.filter(user=user).order_by("-created_at")
        if not tokens:
            self.stdout.write(f"{user.email} has no API tokens.")
            return
        self.stdout.write("id            state    issued             expires            last used          name")
        for token in tokens:
            if token.revoked_at:
                state = "revoked"
            elif token.expires_at and token.expires_at <= now:
                state = "expired"
            else:
                state = "active"
            self.stdout.write(
                f"{token.public_id or token.prefix:<13} {state:<8} {_when(token.created_at):<18} "
                f"{_when(token.expires_at):<18} {_when(token.last_used_at):<18} {token.name}"
            )
