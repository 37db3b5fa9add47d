"""Consent and sharing rules as tables (domain.md §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from joinedup.consent.domain.rules import (
    ConsentFact,
    Para18Answers,
    Recipient,
    RecipientKind,
    SharingFact,
    SharingInput,
    covers,
    para18_problems,
    recipient_problems,
    recipient_words,
    sharing_problems,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
HOUSING, POLICE, VICTIM_SUPPORT, CRISIS_TEAM = 5, 6, 7, 8
VS_HATE_CRIME, VS_GENERAL, HOUSING_TENANCY = "vs-hate-crime", "vs-general", "housing-tenancy"

TO_HOUSING = Recipient(RecipientKind.AGENCY, agency_id=HOUSING)
TO_VS_HATE_CRIME = Recipient(RecipientKind.SERVICE, agency_id=VICTIM_SUPPORT, service_id=VS_HATE_CRIME)
ANY_PARTNER = Recipient(RecipientKind.ANY_PARTNER)
NOT_SAID = Recipient(RecipientKind.UNSPECIFIED)


def given(
    purpose: str = "share_with_agency", to: Recipient = TO_HOUSING, days: int = 0, withdrawn: bool = False
) -> ConsentFact:
    return ConsentFact(purpose, to, "given", T0 + timedelta(days=days), withdrawn)


def refused(purpose: str = "share_with_agency", to: Recipient = TO_HOUSING, days: int = 0) -> ConsentFact:
    return ConsentFact(purpose, to, "refused", T0 + timedelta(days=days))


# (id with source, consents, sharing decisions, asked-about agency, asked-about service, expected basis)
COVER_CASES = [
    ("S41-per-purpose-and-recipient", [given()], [], HOUSING, None, "consent"),
    ("S41-agency-covers-its-own-services", [given()], [], HOUSING, HOUSING_TENANCY, "consent"),
    ("S41-not-another-recipient", [given()], [], POLICE, None, "none"),
    ("S41-not-another-purpose", [given(purpose="refer")], [], HOUSING, None, "none"),
    ("S41-service-covers-that-service", [given(to=TO_VS_HATE_CRIME)], [], VICTIM_SUPPORT, VS_HATE_CRIME, "consent"),
    (
        "S41-service-covers-sharing-with-its-agency",
        [given(to=TO_VS_HATE_CRIME)],
        [],
        VICTIM_SUPPORT,
        None,
        "consent",
    ),
    (
        "S46-service-not-the-agencys-other-services",
        [given(to=TO_VS_HATE_CRIME)],
        [],
        VICTIM_SUPPORT,
        VS_GENERAL,
        "none",
    ),
    ("S41-service-not-housing", [given(to=TO_VS_HATE_CRIME)], [], HOUSING, HOUSING_TENANCY, "none"),
    ("S41-service-not-the-crisis-team", [given(to=TO_VS_HATE_CRIME)], [], CRISIS_TEAM, None, "none"),
    ("S41-any-partner-is-the-persons-choice", [given(to=ANY_PARTNER)], [], POLICE, None, "consent"),
    ("S41-any-partner-covers-services", [given(to=ANY_PARTNER)], [], HOUSING, HOUSING_TENANCY, "consent"),
    (
        "S41-a-named-refusal-beats-an-earlier-any-partner",
        [given(to=ANY_PARTNER, days=0), refused(days=1)],
        [],
        HOUSING,
        None,
        "refused",
    ),
    (
        "S41-any-partner-still-covers-the-others",
        [given(to=ANY_PARTNER, days=0), refused(days=1)],
        [],
        POLICE,
        None,
        "consent",
    ),
    ("S41-not-said-who-covers-nobody", [given(to=NOT_SAID)], [], POLICE, None, "unspecified"),
    (
        "S41-not-said-who-takes-nothing-away",
        [given(days=0), given(to=NOT_SAID, days=1)],
        [],
        HOUSING,
        None,
        "consent",
    ),
    ("S41-not-said-who-refusal-still-counts", [refused(to=NOT_SAID)], [], POLICE, None, "refused"),
    ("S41-asked-again-after-not-said", [refused(to=NOT_SAID), given(days=1)], [], HOUSING, None, "consent"),
    ("S41-no-one-asked-about-only-any-partner", [given()], [], None, None, "none"),
    ("S41-withdrawal-stops-it", [given(withdrawn=True)], [], HOUSING, None, "withdrawn"),
    ("S41-latest-word-counts-refused-after-given", [given(days=0), refused(days=1)], [], HOUSING, None, "refused"),
    ("S41-latest-word-counts-given-after-refused", [refused(days=0), given(days=1)], [], HOUSING, None, "consent"),
    (
        "S44-sharing-decision-overrides-refusal",
        [refused()],
        [SharingFact("share_with_agency", frozenset({HOUSING}), T0)],
        HOUSING,
        None,
        "sharing_decision",
    ),
    (
        "S44-sharing-decision-only-for-its-recipients",
        [],
        [SharingFact("share_with_agency", frozenset({HOUSING}), T0)],
        POLICE,
        None,
        "none",
    ),
    (
        "S44-sharing-decision-for-a-service-covers-it",
        [],
        [SharingFact("share_with_agency", frozenset({VICTIM_SUPPORT}), T0, service_id=VS_HATE_CRIME)],
        VICTIM_SUPPORT,
        VS_HATE_CRIME,
        "sharing_decision",
    ),
    (
        "S44-sharing-decision-for-a-service-not-its-siblings",
        [],
        [SharingFact("share_with_agency", frozenset({VICTIM_SUPPORT}), T0, service_id=VS_HATE_CRIME)],
        VICTIM_SUPPORT,
        VS_GENERAL,
        "none",
    ),
]


@pytest.mark.parametrize(
    ("consents", "decisions", "agency", "service", "basis"),
    [c[1:] for c in COVER_CASES],
    ids=[c[0] for c in COVER_CASES],
)
def test_cover(
    consents: list[ConsentFact], decisions: list[SharingFact], agency: int | None, service: str | None, basis: str
) -> None:
    cover = covers(
        purpose="share_with_agency",
        recipient_agency_id=agency,
        service_id=service,
        consents=consents,
        decisions=decisions,
    )
    assert cover.basis == basis
    assert cover.covered is (basis in {"consent", "sharing_decision"})
    assert cover.reason


@pytest.mark.parametrize(
    ("agency", "service", "any_partner", "problem"),
    [
        (True, False, False, False),
        (False, True, False, False),
        (False, False, True, False),
        (False, False, False, True),
        (True, True, False, True),
        (True, False, True, True),
        (False, True, True, True),
    ],
    ids=[
        "S41-an-agency",
        "S41-a-service",
        "S41-any-partner-chosen",
        "S41-nobody-named",
        "S41-agency-and-service",
        "S41-agency-and-any-partner",
        "S41-service-and-any-partner",
    ],
)
def test_a_consent_names_exactly_one_recipient(agency: bool, service: bool, any_partner: bool, problem: bool) -> None:
    found = recipient_problems(agency_named=agency, service_named=service, any_partner=any_partner)
    assert ("recipient" in found) is problem


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (RecipientKind.AGENCY, "Riverside Homes"),
        (RecipientKind.SERVICE, "Hate Crime Support (Victim Support)"),
        (RecipientKind.ANY_PARTNER, "any partner agency (the person's own choice)"),
        (RecipientKind.UNSPECIFIED, "not said who it was for"),
    ],
    ids=["S41-agency-words", "S41-service-words", "S41-any-partner-words", "S41-not-said-words"],
)
def test_pages_say_who_a_consent_is_for(kind: RecipientKind, words: str) -> None:
    agency = "Victim Support" if kind == RecipientKind.SERVICE else "Riverside Homes"
    assert recipient_words(kind, agency_name=agency, service_name="Hate Crime Support") == words


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
        ({"recipient_agency_ids": (), "service_id": VS_HATE_CRIME}, "service_id"),
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
        "S41-service-that-receives-nothing",
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
