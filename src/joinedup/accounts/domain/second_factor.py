"""Who is asked for a second factor, and when a passkey may be added or removed. Pure.

Two kinds of account sign in to JoinedUp. A practitioner (an account with a role in an agency) reads many people's
records: the partnership requires a second factor of every practitioner in production (NCSC "Cloud security
guidance: identity and authentication": strong authentication for privileged users). A person harmed signs in to
their own place (My support) with a one-time link or a passkey: for them a second factor is their choice, never a
wall — a person in distress who cannot get past a set-up page for an authenticator app loses their support, and the
link is already a possession factor (it reaches only the inbox or phone their safe-contact rules allow).
"""

from __future__ import annotations


def second_factor_required(*, required_by_setting: bool, person: bool) -> bool:
    """Must this account have a second factor before it may use anything (JOINEDUP_REQUIRE_SECOND_FACTOR)?
    Practitioners only: for a person's own account it is optional."""
    return required_by_setting and not person


def second_factor_asked_at_sign_in(
    *,
    person: bool,
    required_by_setting: bool,
    has_second_factor: bool,
    asks_passkey_with_link: bool = False,
    signed_in_with: str = "password",
) -> bool:
    """Is this sign-in followed by a second factor?

    A practitioner: when the partnership requires one, or when they have set one up (whatever the setting).
    A person: only after a one-time link, only when they chose "ask for my passkey too", and only while they still
    have a passkey to give. Signing in with the passkey itself is already the stronger proof (something they hold,
    unlocked by their fingerprint, face or screen lock), so it is never asked twice."""
    if person:
        return signed_in_with == "link" and asks_passkey_with_link and has_second_factor
    return required_by_setting or has_second_factor


def passkey_change_allowed(*, has_passkey: bool, used_passkey_this_sign_in: bool) -> bool:
    """May a person add or remove a passkey, or switch the extra check on or off, in this sign-in?

    Their first passkey: yes, once signed in. After that, only in a sign-in where they used a passkey: whoever
    reads their messages and opens a link must not be able to swap the person's passkey for their own (which would
    let them back in at any time, with no link). Someone who lost their phone asks their key worker, who can remove
    the passkeys after checking who they are."""
    return not has_passkey or used_passkey_this_sign_in
