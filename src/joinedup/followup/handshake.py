"""The handshake between a door's confirmation page and the follow-up pages, kept in the browser's session: the
door offers a way back to the report just sent; the follow-up pages keep the passphrase and, later, which
follow-up this browser unlocked. Exit this page ends the session, and all of it with it."""

from __future__ import annotations

from django.http import HttpRequest

# Set by the door a report came in by, straight after an anonymous report: {"kind", "subject", "reference"}.
SESSION_OFFER = "follow_up_offer"
SESSION_KEPT = "follow_up_kept"
# The follow-up this browser unlocked with the passphrase (until the session ends, or Exit this page).
SESSION_OPEN = "follow_up_open"


def offer_way_back(request: HttpRequest, *, kind: str, subject: str, back: str, reference: str = "") -> None:
    """Called by a door's confirmation step: this session may now choose a passphrase for that report. `back` is
    the confirmation page, for "No, thank you"."""
    request.session[SESSION_OFFER] = {"kind": kind, "subject": subject, "reference": reference, "back": back}
    request.session.pop(SESSION_KEPT, None)


def way_back_offered(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_OFFER))


def way_back_kept(request: HttpRequest) -> str:
    return str(request.session.get(SESSION_KEPT) or "")
