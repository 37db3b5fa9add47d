"""What a person can agree to themselves in My support: each choice and what it needs, table-tested."""

from __future__ import annotations

import pytest

from joinedup.consent.domain.rules import SELF_CHOICES, Purpose, self_choice, self_choice_problems


@pytest.mark.parametrize(
    ("slug", "recipient_kind", "problems"),
    [
        ("share", "housing", {}),
        ("share", None, {"recipient": ["Choose a service"]}),
        ("help", "victim_support", {}),
        ("help", None, {"recipient": ["Choose a service"]}),
        ("police", "police", {}),
        ("police", "housing", {"recipient": ["Choose a police service"]}),
        ("police", None, {"recipient": ["Choose a service"]}),
        ("meeting", None, {}),
        ("meeting", "housing", {}),  # the meeting means every agency there: no single choice is needed
        ("contact", "housing", {"purpose": ["Choose what you agree to"]}),  # safe contact is set with the key worker
        ("", None, {"purpose": ["Choose what you agree to"]}),
    ],
)
def test_self_choice_problems(slug: str, recipient_kind: str | None, problems: dict[str, list[str]]) -> None:
    assert self_choice_problems(self_choice(slug), recipient_kind=recipient_kind) == problems


def test_every_self_choice_is_a_purpose_other_than_contact() -> None:
    assert {c.purpose for c in SELF_CHOICES} == set(Purpose) - {Purpose.CONTACT}
    assert len({c.slug for c in SELF_CHOICES}) == len(SELF_CHOICES)
