from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from joinedup.accounts.management.commands._errors import service_errors_as_command_errors
from joinedup.accounts.services import agency_create
from joinedup.core.domain.partnership import AgencyKind


class Command(BaseCommand):
    help = "Add an agency to the partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name in URLs and commands, e.g. city-police")
        parser.add_argument("--name", required=True, help="the agency's full name")
        parser.add_argument("--kind", required=True, choices=[k.value for k in AgencyKind])
        parser.add_argument("--area", default="", help="the area the agency covers")
        parser.add_argument("--lead-partner", action="store_true", help="this agency hosts the partnership")

    def handle(self, *args: Any, **options: Any) -> None:
        with service_errors_as_command_errors():
            agency = agency_create(
                actor=None,
                slug=options["slug"],
                name=options["name"],
                kind=options["kind"],
                area=options["area"],
                is_lead_partner=options["lead_partner"],
            )
        self.stdout.write(self.style.SUCCESS(f"Created agency {agency.slug} ({agency.name}), id {agency.uuid}"))
