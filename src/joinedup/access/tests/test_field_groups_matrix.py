"""The authorisation matrix's field-group axis: for each relationship to the person, what appears in every output
— raw fields and derived text alike (risk and classification reasons, suggestions, tags, timeline summaries).

The oracle is the minimum-necessary table in docs/consent.md, written out here by hand, not read from the code.
Facts from each group are planted in one incident, each with words that only that fact produces; an output may
show those words only to a relationship whose agency needs the group."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from joinedup.accounts.models import Agency, User
from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.people.domain.validation import PersonDetails

ALL = {"identity", "contact", "account", "harm", "health", "safeguarding", "risk"}
# docs/consent.md → Minimum necessary.
ORACLE: dict[str, set[str]] = {
    "recording_agency": ALL,
    "housing_by_consent": {"identity", "contact", "account", "harm", "risk"},
    "fire_by_consent": {"identity", "contact", "harm", "risk"},
    "peer_support_by_consent": {"identity", "contact", "account"},
    "victim_support_by_referral": {"identity", "contact", "account", "harm", "risk"},
}
# Words that only the planted facts of each group produce, in raw fields or in text derived from them.
MARKERS: dict[str, list[str]] = {
    "account": [r"psycho again", r"I want him moved"],
    "harm": [r"[Vv]erbal abuse", r"\bverbal_abuse\b", r"Possible mate crime|Hate incident \(perceived\)"],
    "health": [
        r"thoughts of ending their life",
        r"crisis service",
        r"Not believed before",
        r"dismissed it as a symptom",
        r"cut hand",
        r"\bsuicidality\b",
        # Linkage: that the person is known to a mental health trust is a health fact (agency_name_groups).
        r"Marsh Mental Health Trust",
    ],
    "safeguarding": [r"safeguarding enquiry are met", r"Types of abuse under the Care Act", r"\bs42_met\b"],
    "risk": [r">(High|Medium|Standard) risk<", r'"risk_level": ?"(high|medium|standard)"', r"Why (high|medium) risk"],
}
OUTPUTS = [
    "api:person",
    "api:incident",
    "api:risk",
    "api:case",
    "api:timeline",
    "api:suggestions",
    "page:case",
    "page:story",
    "page:support",
    "page:risk",
    "page:police",
    "page:tasks",
    "page:person",
    "page:incident",
    "api:links",
    "page:ask",
]


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    recording = AgencyFactory.create(slug="recording", kind="gp")
    agencies = {
        "recording_agency": recording,
        "housing_by_consent": AgencyFactory.create(slug="homes", kind="housing"),
        "fire_by_consent": AgencyFactory.create(slug="fire", kind="fire_rescue"),
        "peer_support_by_consent": AgencyFactory.create(slug="peers", kind="peer_support"),
        "victim_support_by_referral": AgencyFactory.create(slug="victims", kind="victim_support"),
    }
    recorder = make_user(recording, "practitioner", email="recorder@example.org")
    incident = incident_record_with_new_person(
        actor=recorder,
        agency=recording,
        details=PersonDetails(given_name="Mo", family_name="Ali"),
        data=IncidentInput(
            description="He called me a psycho again and took my money.",
            kinds=("verbal_abuse", "financial_exploitation"),
            strands=("disability",),
            perceived_by=("victim",),
            perpetrators=(PerpetratorInput("friend", ""),),
            impacts=("suicidality",),
            injuries="cut hand",
            dismissed_as_symptom=True,
            care_has_needs="yes",
            care_unable_to_protect_self="yes",
            wishes="I want him moved away",
        ),
    )
    person = incident.person
    assert person is not None and incident.case is not None
    for relation in ("housing_by_consent", "fire_by_consent", "peer_support_by_consent"):
        consent_record(
            actor=recorder,
            agency=recording,
            person=person,
            purpose="share_with_agency",
            decision="given",
            recipient=agencies[relation],
            capacity_note="Agreed",
        )
    from joinedup.referrals.models import Service
    from joinedup.referrals.services import referral_accept, referral_send

    referred = agencies["victim_support_by_referral"]
    service = Service.objects.create(organization_name="V", name="Support", agency=referred, needs=["victim_support"])
    consent_record(
        actor=recorder,
        agency=recording,
        person=person,
        purpose="refer",
        decision="given",
        recipient=referred,
        capacity_note="He asked for support",
    )
    referral = referral_send(actor=recorder, agency=recording, case=incident.case, service=service, reason="Support")
    referral_accept(
        actor=make_user(referred, "practitioner", email="v@example.org"), referral=referral, named_contact="B"
    )
    # Linkage believes a mental health trust holds a record of them: its name is a health fact.
    from joinedup.linkage.tests.factories import Linker

    trust = AgencyFactory.create(slug="marsh", name="Marsh Mental Health Trust", kind="mental_health")
    linker = Linker()
    linker.link(linker.person(person), linker.record(trust, "MH-1", given_name="Mo"), "auto", 10.0)
    return {"agencies": agencies, "person": person, "incident": incident, "case": incident.case}


def _read(output: str, world: dict[str, Any], user: User) -> tuple[int, str]:
    person, incident, case = world["person"], world["incident"], world["case"]
    if output.startswith("api:"):
        _, raw = token_issue(actor=None, user=user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        path = {
            "api:person": f"/api/v1/people/{person.uuid}",
            "api:incident": f"/api/v1/incidents/{incident.uuid}",
            "api:risk": f"/api/v1/people/{person.uuid}/risk",
            "api:case": f"/api/v1/cases/{case.uuid}",
            "api:timeline": f"/api/v1/cases/{case.uuid}/timeline",
            "api:suggestions": f"/api/v1/cases/{case.uuid}/suggestions",
            "api:links": f"/api/v1/people/{person.uuid}/links",
        }[output]
        response = api.get(path)
        return response.status_code, response.content.decode()
    browser = Client()
    browser.force_login(user)
    path = {
        "page:case": f"/cases/{case.uuid}",
        "page:story": f"/cases/{case.uuid}/story",
        "page:support": f"/cases/{case.uuid}/support",
        "page:risk": f"/cases/{case.uuid}/risk",
        "page:police": f"/cases/{case.uuid}/police",
        "page:tasks": f"/cases/{case.uuid}/tasks",
        "page:person": f"/people/{person.uuid}",
        "page:incident": f"/incidents/{incident.uuid}",
        "page:ask": f"/cases/{case.uuid}/ask-for-information",
    }[output]
    response = browser.get(path)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("relation", list(ORACLE))
def test_each_output_shows_only_the_groups_the_relationship_needs(
    world: dict[str, Any], relation: str, output: str
) -> None:
    agency: Agency = world["agencies"][relation]
    status, text = _read(output, world, make_user(agency, "practitioner"))
    if output == "api:risk" and "risk" not in ORACLE[relation]:
        assert status == 403, "the risk level is its own group"
        return
    assert status == 200
    for group in sorted(ALL - ORACLE[relation]):
        for marker in MARKERS.get(group, []):
            assert not re.search(marker, text), f"{relation} must not read {group} ({marker}) in {output}"


@pytest.mark.parametrize(
    ("output", "group"),
    [
        ("page:risk", "health"),
        ("page:incident", "safeguarding"),
        ("page:case", "account"),
        ("api:incident", "harm"),
        ("page:ask", "health"),
        ("api:links", "health"),
    ],
)
def test_the_agency_that_recorded_it_sees_everything(world: dict[str, Any], output: str, group: str) -> None:
    status, text = _read(output, world, make_user(world["agencies"]["recording_agency"], "practitioner"))
    assert status == 200
    assert any(re.search(marker, text) for marker in MARKERS[group]), f"{group} missing from {output}"
