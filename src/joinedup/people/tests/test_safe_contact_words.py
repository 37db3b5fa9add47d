"""Safe-contact rules in plain words, as a receiving agency reads them before accepting a referral (domain.md §7)."""

from __future__ import annotations

import pytest

from joinedup.people.domain.contact import safe_contact_words


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        pytest.param(
            {},
            "Do not contact them: they asked not to be contacted, or have not told us a safe way yet.",
            id="none-means-do-not-contact",
        ),
        pytest.param({"allowed": ["text"]}, "Only by text.", id="one-way"),
        pytest.param(
            {"allowed": ["phone", "letter"], "no_voicemail": True, "safe_hours": {"from": "10:00", "to": "14:00"}},
            "Only by phone or letter, between 10:00 and 14:00; do not leave a voicemail.",
            id="hours-and-no-voicemail",
        ),
        pytest.param(
            {"allowed": ["email"], "notes": "He shares the laptop with his carer"},
            "Only by email. They said: He shares the laptop with his carer.",
            id="their-notes",
        ),
    ],
)
def test_safe_contact_in_plain_words(rules: dict[str, object], words: str) -> None:
    assert safe_contact_words(rules) == words
