"""The doors a follow-up can belong to. Each app that takes anonymous reports (incidents' public door, harm
reports and concerns about a service) registers its door in its AppConfig.ready: this app sits below them and
never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from joinedup.followup.domain.rules import Named

if TYPE_CHECKING:
    from joinedup.accounts.models import User
    from joinedup.followup.models import FollowUp


@dataclass(frozen=True)
class Door:
    kind: str
    # The record the conversation is about (a triage item, a harm report), for the policy and the page.
    subject_of: Callable[[FollowUp], Any]
    # The policy actions that let a practitioner read the conversation, and ask: the ones that let them read the
    # record itself, and act on it (the hub picking up reports; the agency answering a harm report).
    read_action: str
    ask_action: str
    # Where a practitioner reads it (for the notification: a link, never the words).
    page_of: Callable[[Any], str]
    # Who hears that the reporter has answered, besides whoever asked.
    told_of_answers: Callable[[Any], list[User]]
    # Keep a way back to the report with this public id: the door's own service opens the follow-up
    # (followup.services.follow_up_open) and links its record to it, or refuses (Conflict) if it has one already.
    open_for: Callable[[str, str], FollowUp]
    # The reporter gives their name: the door's own service makes the report theirs (inside the transaction).
    become_named: Callable[[Any, Named], None]
    # Whether coming forward asks who they are (a harm report made anonymously does not say).
    asks_who: bool
    # Plain words for the report, on the reporter's pages: "report", "concern".
    words: str = "report"


DOORS: dict[str, Door] = {}


def register(door: Door) -> None:
    DOORS[door.kind] = door


def door_for(kind: str) -> Door:
    return DOORS[kind]
