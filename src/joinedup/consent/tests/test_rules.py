"""Consent and sharing rules as tables (domain.md §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from joinedup.consent.domain.rules import (
    ConsentFact,
    Para18Answers,
    SharingFact,
    SharingInput,
    covers,
    para18_problems,
    sharing_problems,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
HOUSING, POLICE = 5, 6


def given(
    purpose: str = "share_with_agency", to: int | None = HOUSING, days: int = 0, withdrawn: bool = False
) -> ConsentFact:
    return ConsentFact(purpose, to, "given", T0 + timedelta(days=days), withdrawn)


def refused(purpose: str = "share_with_agency", to: int | None = HOUSING, days: int = 0) -> ConsentFact:
    return ConsentFact(purpose, to, "refused", T0 + timedelta(days=days))


COVER_CASES = [
    ("S41-per-purpose-and-recipient", [given()], [], HOUSING, "consent"),
    ("S41-not-another-recipient", [given()], [], POLICE, "none"),
    ("S41-not-another-purpose", [given(purpose="refer")], [], HOUSING, "none"),
    ("S41-no-recipient-means-any", [given(to=None)], [], POLICE, "consent"),
    ("S41-withdrawal-stops-it", [given(withdrawn=True)], [], HOUSING, "withdrawn"),
    ("S41-latest-word-counts-refused-after-given", [given(days=0), refused(days=1)], [], HOUSING, "refused"),
    ("S41-latest-word-counts-given-after-refused", [refused(days=0), given(days=1)], [], HOUSING, "consent"),
    (
        "S44-sharing-decision-overrides-refusal",
        [refused()],
        [SharingFact("share_with_agency", frozenset({HOUSING}), T0)],
        HOUSING,
        "sharing_decision",
    ),
    (
        "S44-sharing-decision-only-for-its-recipients",
        [],
        [SharingFact("share_with_agency", frozenset({HOUSING}), T0)],
        POLICE,
        "none",
    ),
]


@pytest.mark.parametrize(
    ("consents", "decisions", "recipient", "basis"), [c[1:] for c in COVER_CASES], ids=[c[0] for c in COVER_CASES]
)
def test_cover(consents: list[ConsentFact], decisions: list[SharingFact], recipient: int, basis: str) -> None:
    cover = covers(purpose="share_with_agency", recipient_agency_id=recipient, consents=consents, decisions=decisions)
    assert cover.basis == basis
    assert cover.covered is (basis in {"consent", "sharing_decision"})
    assert cover.reason


ALL_TRUE = Para18Answers(True, True, True, True, "refused", True)


@pytest.mark.parametrize(
    ("answers", "problems"),
    [
        (ALL_TRUE, 0),
        (Para18Answers(False, True, True, True, "refused", True), 1),
        (Para18Answers(True, True, False, True, "refused", True), 1),
        (Para18Answers(True, True, True, True, "given", True), 1),
        (Para18Answers(True, True, True, True, "incapable", False), 1),
        (Para18Answers(False, False, False, False, "x", False), 4),
    ],
    ids=[
        "S44-all-met",
        "S44-not-necessary",
        "S44-not-at-risk",
        "S44-consent-was-given",
        "S44-no-public-interest",
        "S44-nothing-met",
    ],
)
def test_para18(answers: Para18Answers, problems: int) -> None:
    assert len(para18_problems(answers)) == problems


def sharing(**kw: object) -> SharingInput:
    base: dict[str, object] = {
        "purpose": "share_with_agency",
        "recipient_agency_ids": (HOUSING,),
        "lawful_basis": "public_task",
        "special_category_condition": "safeguarding_para18",
        "consent_status": "not_sought_risk",
        "necessity": "Cuckooing at the flat; housing must act to protect him and his tenancy.",
        "tell_person": True,
        "para18": ALL_TRUE,
    }
    base.update(kw)
    return SharingInput(**base)  # type: ignore[arg-type]


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient_agency_ids": ()}, "recipient_agency_ids"),
        ({"lawful_basis": "because"}, "lawful_basis"),
        ({"special_category_condition": "?"}, "special_category_condition"),
        ({"consent_status": "given"}, "consent_status"),
        ({"necessity": "needed"}, "necessity"),
        ({"tell_person": False}, "why_not_tell"),
        ({"tell_person": False, "why_not_tell": "He would be at risk", "review_on": TODAY}, "review_on"),
        ({"para18": None}, "para18"),
        ({"para18": Para18Answers(True, False, True, True, "refused", True)}, "para18"),
    ],
    ids=[
        "S41-recipients",
        "S41-art6",
        "S42-art9",
        "S41-consent-status",
        "S46-necessity",
        "S45-why-not-told",
        "S45-review-date",
        "S44-para18-answers",
        "S44-para18-at-risk",
    ],
)
def test_sharing_decision_must_be_justified(changes: dict[str, object], field: str) -> None:
    assert field in sharing_problems(sharing(**changes), today=TODAY)


def test_a_complete_decision_has_no_problems() -> None:
    assert sharing_problems(sharing(), today=TODAY) == {}
    not_told = sharing(tell_person=False, why_not_tell="He lives with the perpetrator", review_on=date(2026, 12, 7))
    assert sharing_problems(not_told, today=TODAY) == {}
