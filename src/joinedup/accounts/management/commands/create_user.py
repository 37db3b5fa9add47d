from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.models import Agency
from joinedup.accounts.services import user_create
from joinedup.core.domain.partnership import Role


class Command(BaseCommand):
    help = "Add a practitioner's account with one or more roles in an agency."
    stealth_options = ("stdin",)  # tests pass the password's input stream

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--agency", required=True, help="the agency's slug")
        parser.add_argument(
            "--role",
            required=True,
            action="append",
            choices=[r.value for r in Role],
            help="repeat for several",
        )
        parser.add_argument("--name", default="", help="full name (defaults to the part of the email before @)")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (first line), so it never appears in the process list or "
            "shell history; without it the account has no password and its owner sets one with the emailed "
            "'reset your password' link",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the short name '{options['agency']}'. See create_agency.")
        name = options["name"] or options["email"].split("@")[0].replace(".", " ").title()
        password = None
        if options["password_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin was given but standard input held no password.")
        with service_errors_as_command_errors():
            user = user_create(
                actor=None,
                email=options["email"],
                name=name,
                agency=agency,
                roles=options["role"],
                password=password,
            )
        roles = ", ".join(sorted(set(options["role"])))
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} at {agency.slug} as {roles}, id {user.uuid}"))
