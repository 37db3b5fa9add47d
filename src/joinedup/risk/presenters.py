"""What a reader is shown of a person's risk: nothing where the risk group is withheld (the level itself is in
that group), and each reason only where every group its facts come from is seen (risk/domain/rules.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from joinedup.access.domain.minimum import HELD_ELSEWHERE
from joinedup.access.door import Seen
from joinedup.risk.domain.rules import reason_groups
from joinedup.risk.models import RiskAssessment


@dataclass(frozen=True)
class RiskReasonShown:
    code: str
    text: str
    source: str


@dataclass(frozen=True)
class RiskShown:
    level: str
    actuarial_level: str
    reasons: tuple[RiskReasonShown, ...]
    held: bool  # some reasons were withheld: the page says more is held by the key worker
    panel_criteria: tuple[str, ...]
    case_review_eligible: bool
    rule_set_name: str
    rule_set_version: str
    assessed_at: datetime
    trigger: str


def present_risk(assessment: RiskAssessment | None, seen: Seen) -> RiskShown | None:
    if assessment is None or not seen.sees("risk"):
        return None
    shown, held = [], False
    for reason in assessment.reasons:
        if seen.shows(reason_groups(reason.get("code", ""))):
            shown.append(RiskReasonShown(reason.get("code", ""), reason.get("text", ""), reason.get("source", "")))
        else:
            held = True
    return RiskShown(
        level=assessment.level,
        actuarial_level=assessment.actuarial_level,
        reasons=tuple(shown),
        held=held,
        panel_criteria=tuple(assessment.panel_criteria),
        case_review_eligible=assessment.case_review_eligible,
        rule_set_name=assessment.rule_set_name,
        rule_set_version=assessment.rule_set_version,
        assessed_at=assessment.assessed_at,
        trigger=assessment.trigger,
    )


def reasons_for_api(assessment: RiskAssessment, seen: Seen) -> list[dict[str, str]]:
    shown = present_risk(assessment, seen)
    if shown is None:
        return []
    out = [{"code": r.code, "text": r.text, "source": r.source} for r in shown.reasons]
    if shown.held:
        out.append({"code": "held_by_key_worker", "text": HELD_ELSEWHERE, "source": ""})
    return out
