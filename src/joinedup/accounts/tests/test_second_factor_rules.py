"""Who is asked for a second factor, and when a person may change their passkeys (accounts.domain.second_factor),
as tables with their reasons."""

from __future__ import annotations

import pytest

from joinedup.accounts.domain.second_factor import (
    passkey_change_allowed,
    second_factor_asked_at_sign_in,
    second_factor_required,
)

# (id with reason, required_by_setting, person, expected)
REQUIRED = [
    ("NCSC-identity: a practitioner in production must have one", True, False, True),
    ("a practitioner where the setting is off (development, the demo) need not", False, False, False),
    ("docs/portal.md: a person's own account, production — optional, never a wall", True, True, False),
    ("a person's own account, setting off", False, True, False),
]


@pytest.mark.parametrize(("setting", "person", "expected"), [c[1:] for c in REQUIRED], ids=[c[0] for c in REQUIRED])
def test_second_factor_required(setting: bool, person: bool, expected: bool) -> None:
    assert second_factor_required(required_by_setting=setting, person=person) is expected


# (id, person, required_by_setting, has_second_factor, asks_passkey_with_link, signed_in_with, expected)
ASKED = [
    (
        "practitioner, production, none set up yet: asked (set-up comes next)",
        False,
        True,
        False,
        False,
        "password",
        True,
    ),
    ("practitioner, setting off, none set up: not asked", False, False, False, False, "password", False),
    ("practitioner who set one up is always asked, whatever the setting", False, False, True, False, "password", True),
    ("person, link, no passkey: never asked", True, True, False, False, "link", False),
    ("person, link, a passkey but they did not ask for the check: not asked", True, True, True, False, "link", False),
    ("person, link, asked for the check and has a passkey: asked", True, False, True, True, "link", True),
    (
        "person asked for the check but their passkeys were removed: nothing to ask for",
        True,
        True,
        False,
        True,
        "link",
        False,
    ),
    ("person signed in with the passkey itself: never asked twice", True, True, True, True, "passkey", False),
]


@pytest.mark.parametrize(
    ("person", "setting", "has", "asks", "how", "expected"), [c[1:] for c in ASKED], ids=[c[0] for c in ASKED]
)
def test_second_factor_asked_at_sign_in(
    person: bool, setting: bool, has: bool, asks: bool, how: str, expected: bool
) -> None:
    assert (
        second_factor_asked_at_sign_in(
            person=person,
            required_by_setting=setting,
            has_second_factor=has,
            asks_passkey_with_link=asks,
            signed_in_with=how,
        )
        is expected
    )


# (id, has_passkey, used_passkey_this_sign_in, expected)
CHANGES = [
    ("their first passkey: adding it needs only the sign-in", False, False, True),
    ("a passkey already: a link alone must not swap it for someone else's", True, False, False),
    ("a passkey already, and they used it in this sign-in", True, True, True),
]


@pytest.mark.parametrize(("has", "used", "expected"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_passkey_change_allowed(has: bool, used: bool, expected: bool) -> None:
    assert passkey_change_allowed(has_passkey=has, used_passkey_this_sign_in=used) is expected
