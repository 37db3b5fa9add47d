from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import ApiToken
from joinedup.accounts.services import TOKEN_PREFIX, token_revoke

PUBLIC_ID = re.compile(r"^[0-9a-f]{12}$")


class Command(BaseCommand):
    help = (
        "Revoke one API token by its id: the 12 characters after 'ju_' in the token (ju_<id>_...), or as listed "
        "by list_tokens. Other tokens of the same user keep working."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token_id", help="the token's id, e.g. 3f9a0c1b2d4e (a whole token is accepted too)")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["token_id"].strip()
        if given.startswith(TOKEN_PREFIX) and given.count("_") >= 2:
            # The whole token was pasted: use only its id part, and never echo the rest.
            given = given[len(TOKEN_PREFIX) :].split("_", 1)[0]
        if not PUBLIC_ID.match(given):
            raise CommandError("A token id is 12 letters a-f and digits, e.g. 3f9a0c1b2d4e (see list_tokens EMAIL).")
        token = ApiToken.objects.select_related("user").filter(public_id=given).first()
        if token is None:
            raise CommandError(f"No token with the id {given}.")
        if token.revoked_at is not None:
            raise CommandError(f"Token {given} was already revoked on {token.revoked_at:%d %B %Y at %H:%M}.")
        with service_errors_as_command_errors():
            token_revoke(actor=None, token=token)
        self.stdout.write(self.style.SUCCESS(f"Revoked token {given} of {token.user.email}."))
