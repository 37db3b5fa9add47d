from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.demo import followup, harm, panel, partnership, population
from joinedup.demo import portal as demo_portal
from joinedup.demo.services import load_services
from joinedup.insights.presenters import warm_charts
from joinedup.insights.services import insights_refresh

# Small enough to load in seconds on SQLite for `make run`; `--people`/`--incidents` scale it up.
DEFAULT_PEOPLE = 300
DEFAULT_INCIDENTS = 1_200


class Command(BaseCommand):
    help = (
        "Load the demo partnership (Eastmere): agencies, practitioners in every role and a synthetic "
        "population. Prints the demo sign-ins. Refuses to run where JOINEDUP_ALLOW_DEMO_DATA is off "
        "(production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for a repeatable population")
        parser.add_argument("--people", type=int, default=None, help="how many people to generate")
        parser.add_argument("--incidents", type=int, default=None, help="how many incidents to generate")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the demo is already loaded")
        parser.add_argument("--print-sign-ins", action="store_true", help="only print the demo sign-ins")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_sign_ins"]:
            self._print_sign_ins()
            return
        if not settings.JOINEDUP_ALLOW_DEMO_DATA:
            raise CommandError(
                "Demo data is switched off here (JOINEDUP_ALLOW_DEMO_DATA). It must never be loaded into a "
                "live partnership's database."
            )
        for name in ("people", "incidents"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name} must be zero or more.")
        if partnership.partnership_loaded():
            if options["if_empty"]:
                self.stdout.write("The demo partnership is already loaded.")
                return
            raise CommandError("The demo partnership is already loaded. Use a fresh database to load it again.")
        partnership.load_partnership()
        services = load_services()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(partnership.AGENCIES)} agencies, their practitioners and {services} services."
            )
        )
        harm_reports = harm.load(seed=options["seed"])
        self.stdout.write(self.style.SUCCESS(f"Loaded {harm_reports} harm reports about services, at every stage."))
        conversations = followup.load()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {conversations} anonymous reports with a way back and a conversation.")
        )
        people = DEFAULT_PEOPLE if options["people"] is None else options["people"]
        if options["incidents"] is not None:
            incidents = options["incidents"]
        else:  # keep the default ratio of incidents to people when only --people is given
            incidents = DEFAULT_INCIDENTS * people // DEFAULT_PEOPLE
        if incidents and not people:
            raise CommandError("Incidents need people: give --people as well.")
        if people:
            totals = population.load(
                people=people, incidents=incidents, seed=options["seed"], progress=options["verbosity"] > 0
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {totals['people']:,} people ({totals['duplicates']:,} of them duplicate records of the "
                    f"same person at another agency), {totals['incidents']:,} incidents and {totals['consents']:,} "
                    "consents, each naming who it is for."
                )
            )
            portals = demo_portal.load()
            self.stdout.write(self.style.SUCCESS(f"Set up My support for {portals} people, with safety plans."))
            made = panel.load_panel()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the community risk panel: {made.get('meetings', 0)} past meetings, "
                    f"{made['panel_referrals']} panel referrals ({made.get('repeats', 0)} a repeat)."
                )
            )

        insights_refresh()  # so the commissioners' dashboards show the demo's figures straight away
        warm_charts()
        if not options["if_empty"]:  # `make run` prints them itself, once, after this
            self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        rows = partnership.sign_in_table()
        if not rows:
            self.stdout.write("No demo sign-ins: run `manage.py demo_data` first.")
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo sign-ins (password for all: {partnership.DEMO_PASSWORD})"))
        width = max(len(row[3]) for row in rows)
        for roles, what, agency, email in rows:
            self.stdout.write(f"  {email.ljust(width)}  {roles} — {what}, {agency}")
        links = demo_portal.sign_in_links()
        if links:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING("My support, as the person (each link works once, for 15 minutes)")
            )
            for name, path in links:
                # localhost, not 127.0.0.1: passkeys need a host name.
                self.stdout.write(f"  {name}: http://localhost:8000{path}")
        kept = followup.references()
        if kept:
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"Anonymous, yet two-way: http://localhost:8000/check-for-a-reply (passphrase for both: "
                    f"{followup.DEMO_PASSPHRASE})"
                )
            )
            for what, reference in kept:
                self.stdout.write(f"  {reference}  {what}")
        self.stdout.write("")
