"""Safe contact rules as a table, and the one outbound function refusing and logging."""

from __future__ import annotations

from datetime import time

import pytest

from joinedup.people.domain.contact import SafeContact, may_contact

PHONE_EVENINGS = SafeContact(frozenset({"phone", "text"}), "", True, time(18), time(21))

CASES = [
    ("allowed-channel-in-hours", PHONE_EVENINGS, "phone", time(19), False, True),
    ("outside-safe-hours", PHONE_EVENINGS, "phone", time(10), False, False),
    ("letters-not-allowed-no-letters-to-home", PHONE_EVENINGS, "letter", time(19), False, False),
    ("no-channels-means-do-not-contact", SafeContact(frozenset()), "phone", time(12), False, False),
    ("contact-consent-refused", PHONE_EVENINGS, "text", time(19), True, False),
    ("unknown-channel", PHONE_EVENINGS, "pigeon", time(19), False, False),
    ("overnight-window", SafeContact(frozenset({"text"}), "", False, time(22), time(2)), "text", time(1), False, True),
]


@pytest.mark.parametrize(
    ("rules", "channel", "at", "refused", "allowed"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_may_contact(rules: SafeContact, channel: str, at: time, refused: bool, allowed: bool) -> None:
    decision = may_contact(rules, channel=channel, at=at, contact_refused=refused)
    assert decision.allowed is allowed and decision.reason


def test_no_voicemail_is_an_instruction() -> None:
    decision = may_contact(PHONE_EVENINGS, channel="phone", at=time(19))
    assert "Do not leave a voicemail." in decision.instructions
