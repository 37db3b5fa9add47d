"""The authorisation matrix's audit and coverage axes: every endpoint and page that shows personal data — the
person and case pages, referrals, police reports and their PDFs, triage, inboxes, My work, search, the timeline —
writes exactly one audit entry per person shown when it is allowed, and exactly one refusal when it is not.

The oracle (who may read what) is docs/access-and-audit.md's rule table, written out here by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from joinedup.accounts.services import token_issue
from joinedup.accounts.tests.factories import AgencyFactory, make_user
from joinedup.audit.models import AuditEntry
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record_with_new_person
from joinedup.panels.services import meeting_schedule, panel_create, panel_refer, panel_referral_list
from joinedup.people.domain.validation import PersonDetails
from joinedup.police.services import police_report_send
from joinedup.referrals.models import Service
from joinedup.referrals.services import referral_send


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    lead = AgencyFactory.create(slug="lead", kind="adult_social_care", is_lead_partner=True)
    gp = AgencyFactory.create(slug="gp", kind="gp")
    homes = AgencyFactory.create(slug="homes", kind="housing")
    police = AgencyFactory.create(slug="police", kind="police")
    stranger_agency = AgencyFactory.create(slug="elsewhere", kind="voluntary")
    nurse = make_user(gp, "practitioner", email="nurse@gp.example")
    incident = incident_record_with_new_person(
        actor=nurse,
        agency=gp,
        details=PersonDetails(given_name="Mo", family_name="Ali"),
        data=IncidentInput(description="They took over my flat.", kinds=("cuckooing", "threats")),
    )
    person, case = incident.person, incident.case
    assert person is not None and case is not None
    service = Service.objects.create(organization_name="Homes", name="Tenancy", agency=homes, needs=["housing"])
    for purpose, recipient in (("refer", homes), ("report_to_police", police)):
        consent_record(
            actor=nurse,
            agency=gp,
            person=person,
            purpose=purpose,
            decision="given",
            recipient=recipient,
            capacity_note="He asked us to",
        )
    referral = referral_send(actor=nurse, agency=gp, case=case, service=service, reason="Neighbour at number 4")
    report = police_report_send(
        actor=nurse, agency=gp, case=case, incident_uuids=[str(incident.uuid)], third_party=True
    )
    # The multi-agency risk panel: the lead, the GP and housing are members; the hub worker coordinates.
    hub = make_user(lead, "practitioner", email="hub@lead.example")
    housing_officer = make_user(homes, "practitioner", email="officer@homes.example")
    panel = panel_create(
        actor=make_user(lead, "agency_admin", email="admin@lead.example"),
        name="Panel",
        area="Area",
        chair=make_user(lead, "panel_chair", email="chair@lead.example"),
        coordinator=hub,
        members=[(lead, hub), (gp, nurse), (homes, housing_officer)],
    )
    consent_record(
        actor=nurse,
        agency=gp,
        person=person,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="He asked for the agencies to meet",
    )
    panel_referral = panel_refer(
        actor=nurse,
        agency=gp,
        case=case,
        panel=panel,
        criteria=["professional_judgement"],
        summary="Taken over his flat",
        judgement_reasons="They come every night",
    )
    meeting = meeting_schedule(actor=hub, panel=panel, day=timezone.localdate())
    panel_referral_list(actor=hub, meeting=meeting, panel_referral=panel_referral)
    return {
        "readers": {
            "nurse": nurse,
            "housing": housing_officer,
            "liaison": make_user(police, "police_liaison", email="liaison@police.example"),
            "hub": hub,
            "stranger": make_user(stranger_agency, "practitioner", email="someone@elsewhere.example"),
        },
        "meeting": meeting,
        "panel_referral": panel_referral,
        "person": person,
        "case": case,
        "incident": incident,
        "referral": referral,
        "report": report,
    }


# endpoint → (path template, readers allowed (each sees the one person once), readers refused)
ENDPOINTS: dict[str, tuple[str, set[str], set[str]]] = {
    "api person": ("/api/v1/people/{person}", {"nurse"}, {"stranger", "housing"}),
    "api risk": ("/api/v1/people/{person}/risk", {"nurse"}, {"stranger"}),
    "api consents": ("/api/v1/people/{person}/consents", {"nurse"}, {"stranger"}),
    "api incident": ("/api/v1/incidents/{incident}", {"nurse"}, {"stranger"}),
    "api case": ("/api/v1/cases/{case}", {"nurse"}, {"stranger"}),
    "api timeline": ("/api/v1/cases/{case}/timeline", {"nurse"}, {"stranger"}),
    "api suggestions": ("/api/v1/cases/{case}/suggestions", {"nurse"}, {"stranger"}),
    "api referral": ("/api/v1/referrals/{referral}", {"nurse", "housing"}, {"stranger", "liaison"}),
    "api referrals incoming": ("/api/v1/referrals?direction=incoming", {"housing"}, set()),
    "api referrals outgoing": ("/api/v1/referrals?direction=outgoing", {"nurse"}, set()),
    "api police report": ("/api/v1/police-reports/{report}", {"nurse", "liaison"}, {"stranger", "housing"}),
    "api police pdf": ("/api/v1/police-reports/{report}/pdf", {"liaison"}, {"stranger"}),
    "api search": ("/api/v1/people?q=Mo+Ali", {"nurse"}, set()),
    "page case": ("/cases/{case}", {"nurse"}, {"stranger"}),
    "page story": ("/cases/{case}/story", {"nurse"}, {"stranger"}),
    "page person": ("/people/{person}", {"nurse"}, {"stranger"}),
    "page incident": ("/incidents/{incident}", {"nurse"}, {"stranger"}),
    "page referral": ("/referrals/{referral}", {"housing", "nurse"}, {"stranger"}),
    "page referrals inbox": ("/referrals/incoming", {"housing"}, set()),
    "page police report": ("/police-reports/{report}", {"liaison", "nurse"}, {"stranger"}),
    "page police pdf": ("/police-reports/{report}/pdf", {"liaison"}, {"stranger"}),
    "page police inbox": ("/police/inbox", {"liaison"}, {"nurse"}),
    "page triage": ("/triage", set(), {"nurse"}),
    "page my work": ("/my-work", {"nurse"}, set()),
    "page access log": ("/people/{person}/access-log", set(), {"stranger", "housing"}),
    # Linkage: known to other agencies (the API), and asking them for information (the page).
    "api links": ("/api/v1/people/{person}/links", {"nurse"}, {"stranger"}),
    "page ask for information": ("/cases/{case}/ask-for-information", {"nurse"}, {"stranger"}),
    # The multi-agency risk panel: members read the agenda and papers; the key worker brings the person's voice;
    # the coordinator closes a case; an agency outside the panel learns nothing.
    "api meeting": ("/api/v1/meetings/{meeting}", {"nurse", "housing", "hub"}, {"stranger", "liaison"}),
    "api panel referral": ("/api/v1/panel-referrals/{panel_referral}", {"nurse", "housing"}, {"stranger"}),
    "page meeting": ("/meetings/{meeting}", {"nurse", "housing", "hub"}, {"stranger", "liaison"}),
    "page panel papers": ("/meetings/{meeting}/papers.pdf", {"housing"}, {"stranger"}),
    "page panel voice": ("/panel-referrals/{panel_referral}/voice", {"nurse"}, {"housing", "stranger"}),
    "page panel close": ("/panel-referrals/{panel_referral}/close", {"hub"}, {"nurse", "stranger"}),
}
CASES = [(name, reader, True) for name, (_, ok, _) in ENDPOINTS.items() for reader in sorted(ok)] + [
    (name, reader, False) for name, (_, _, no) in ENDPOINTS.items() for reader in sorted(no)
]


def _get(world: dict[str, Any], name: str, reader: str) -> int:
    path = ENDPOINTS[name][0].format(
        person=world["person"].uuid,
        case=world["case"].uuid,
        incident=world["incident"].uuid,
        referral=world["referral"].uuid,
        report=world["report"].uuid,
        meeting=world["meeting"].uuid,
        panel_referral=world["panel_referral"].uuid,
    )
    user = world["readers"][reader]
    if name.startswith("api"):
        _, raw = token_issue(actor=None, user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client.get(path).status_code
    browser = Client()
    browser.force_login(user)
    return browser.get(path).status_code


@pytest.mark.parametrize(("name", "reader", "allowed"), CASES, ids=[f"{n}:{r}" for n, r, _ in CASES])
def test_each_read_is_audited_once_and_each_refusal_once(
    world: dict[str, Any], name: str, reader: str, allowed: bool
) -> None:
    user = world["readers"][reader]
    before = set(AuditEntry.objects.filter(actor=user).values_list("id", flat=True))
    status = _get(world, name, reader)
    new = AuditEntry.objects.filter(actor=user).exclude(id__in=before)
    if allowed:
        assert status == 200
        looks = new.filter(action__in=["view", "export"], person_uuid=world["person"].uuid)
        assert looks.count() == 1, f"one line per look: {list(looks.values_list('purpose', flat=True))}"
        assert not new.filter(action="denied").exists()
    else:
        assert status in {403, 404}
        assert new.filter(action="denied").count() == 1
        assert not new.filter(person_uuid=world["person"].uuid).exists(), "a refusal shows no one"
