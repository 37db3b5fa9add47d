"""Demo: a few people with their own place (My support), a safety plan written with them, and messages — so the
person's side of the pathway can be walked in `make run`. Each through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.cases.domain.safety_plan import Plan, Promise
from joinedup.cases.models import Case
from joinedup.cases.safety import safety_plan_save
from joinedup.core.errors import Conflict
from joinedup.portal.models import PortalAccount
from joinedup.portal.services import message_send, portal_invite, sign_in_link, update_tell

KEY_WORKER_EMAIL = "amara.osei@asc.eastmere.example"


def load(*, how_many: int = 3) -> int:
    """People the demo key worker holds, whose safe-contact rules allow a text, get their own place."""
    key_worker = User.objects.filter(email=KEY_WORKER_EMAIL).first()
    if key_worker is None:
        return 0
    made = 0
    cases = Case.objects.filter(key_worker=key_worker, status="open").select_related("person", "key_worker_agency")
    for case in cases.order_by("opened_at")[:40]:
        person = case.person
        if "text" not in (person.safe_contact or {}).get("allowed", []):
            continue
        try:
            account, _ = portal_invite(
                actor=key_worker, agency=case.key_worker_agency, person=person, case=case, channel="text"
            )
        except Conflict:
            continue  # outside their safe hours now: the rules hold in the demo too
        today = timezone.localdate()
        safety_plan_save(
            actor=key_worker,
            case=case,
            plan=Plan(
                warning_signs="He waits by the bus stop when I come home.",
                safe_places_and_people="My sister on Mill Road. The library.",
                what_i_will_do="Text my sister when I leave, and go the long way round.",
                what_services_will_do=(
                    Promise("Fit a door chain and a video doorbell", "Riverside Homes", today + timedelta(days=10)),
                    Promise("Call every Friday to check in", case.key_worker.name, today + timedelta(days=4)),
                ),
                practical_steps=("home_security", "changing_routines"),
            ),
        )
        message_send(
            actor=key_worker,
            person=person,
            text="Hello. I am your key worker. You can message me here any time.",
            from_person=False,
            agency=case.key_worker_agency,
        )
        update_tell(actor=account.user, person=person, text="He was outside my door again on Sunday night.")
        made += 1
        if made >= how_many:
            break
    return made


def sign_in_links() -> list[tuple[str, str]]:
    """A fresh one-time link for each demo person with their own place (each works once, for 15 minutes)."""
    accounts = PortalAccount.objects.filter(revoked_at__isnull=True).select_related("user", "person")[:3]
    return [(a.person.display_name, sign_in_link(a.user)) for a in accounts]
