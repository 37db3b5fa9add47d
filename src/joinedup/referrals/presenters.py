"""What a reader is shown of the pathway's suggestions and a case's referrals: a suggestion or referral whose
facts come from a withheld group (a crisis-team suggestion tells a health fact) is left out, and the page says
that more is held by the key worker (access/door.py, referrals/domain/suggestions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.access.door import Seen
from joinedup.referrals.domain.suggestions import NEED_GROUPS, NEED_LABELS, Suggestion, referral_groups
from joinedup.referrals.models import Referral, Service


@dataclass(frozen=True)
class SuggestionShown:
    kind: str
    label: str
    reason: str
    rule: str
    consent_purpose: str
    services: tuple[Service, ...]


def present_suggestions(
    found: list[tuple[Suggestion, list[Service]]], seen: Seen
) -> tuple[list[SuggestionShown], bool]:
    """The suggestions this reader may see, and whether any were held back."""
    shown, held = [], False
    for suggestion, services in found:
        if not seen.shows(NEED_GROUPS[suggestion.kind]):
            held = True
            continue
        shown.append(
            SuggestionShown(
                kind=suggestion.kind.value,
                label=NEED_LABELS[suggestion.kind],
                reason=suggestion.reason,
                rule=suggestion.rule,
                consent_purpose=suggestion.consent_purpose,
                services=tuple(services),
            )
        )
    return shown, held


def present_referrals(referrals: list[Referral], seen: Seen) -> tuple[list[Referral], bool]:
    """The referrals this reader may see listed: each carries its service's groups, or for a request for
    information what the asked agency's name tells (a health or care agency: a health fact)."""
    shown = [
        r
        for r in referrals
        if seen.shows(
            referral_groups(r.service.needs if r.service is not None else None, agency_kind=str(r.to_agency.kind))
        )
    ]
    return shown, len(shown) < len(referrals)
