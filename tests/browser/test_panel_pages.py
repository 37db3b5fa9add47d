"""The multi-agency risk conference in Chromium with axe: a practitioner refers from the case, the coordinator
lists and hears it with the person's voice first and agrees an action, the member completes it with evidence,
the chair records a Safeguarding Adults Review decision, and the measures show it."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, make_user
from joinedup.cases.models import Case, TimelineEntry
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.panels.models import Action, Minutes, PanelReferral
from joinedup.panels.services import meeting_schedule, panel_create
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def test_refer_hear_act_complete_review(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    lead = AgencyFactory.create(slug="council", name="Eastmere Council", kind="adult_social_care", is_lead_partner=True)
    chair = make_user(lead, "panel_chair", email="chair@council.example", name="Carys Chair")
    coordinator = make_user(lead, "practitioner", email="coord@council.example", name="Colm Coordinator")
    admin = make_user(lead, "agency_admin", email="admin@council.example")
    panel = panel_create(
        actor=admin,
        name="Eastmere community risk panel",
        area="Eastmere",
        chair=chair,
        coordinator=coordinator,
        members=[(gp, nurse), (housing, housing_officer), (lead, coordinator)],
    )
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="He asked for the agencies to meet",
    )

    # The live server's first page compiles the templates: loaded once, unhurried, on a busy machine.
    visitor.page.goto(visitor.base_url + "/account/sign-in", timeout=60_000)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/support")
    page.get_by_role("link", name="Refer to the panel").click()
    visitor.check()
    page.get_by_role("button", name="Refer to the panel").click()
    visitor.check()
    assert "Summarise why the panel should hear this" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("checkbox", name="Professional judgement").check()
    page.get_by_label("Your reasons, if you use professional judgement").fill("The neighbour knows when he is alone")
    page.get_by_label("Situational (where they live or who is around them)").check()
    page.get_by_label("Summary for the panel").fill("Threats have moved to his front door.")
    page.get_by_role("button", name="Refer to the panel").click()
    visitor.check()
    assert PanelReferral.objects.get().status == "referred"
    page.get_by_role("button", name="Sign out").click()

    meeting = meeting_schedule(actor=coordinator, panel=panel, day=timezone.localdate())
    visitor.sign_in(coordinator.email, TEST_PASSWORD)
    page = visitor.go(f"/panels/{panel.uuid}")
    page.get_by_role("link", name=f"{meeting.date.day} {meeting.date:%B %Y}").click()
    visitor.check()
    page.get_by_role("button", name="List for this meeting").click()
    visitor.check()
    page.get_by_role("button", name="Record the minutes").click()
    visitor.check()
    assert "in their words" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("The person's voice").fill("I want to feel safe opening my door.")
    page.get_by_label("Discussion").fill("Housing can offer a move; the GP will check in weekly.")
    page.get_by_label("High Street GP").check()
    page.get_by_label("Riverside Homes").check()
    page.get_by_role("button", name="Record the minutes").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert main.index("The person's voice") < main.index("Why the panel hears it")
    page.get_by_label("What will be done").fill("Offer a management move")
    page.get_by_label("Which agency").select_option(label="Riverside Homes")
    page.get_by_label("Who owns it").select_option(label=f"{housing_officer.name} (Riverside Homes)")
    page.get_by_label("Due by").fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Agree the action").click()
    visitor.check()
    assert Action.objects.get().agency == housing
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page = visitor.go("/panel-actions")
    page.get_by_role("link", name="Complete the action: Offer a management move").click()
    visitor.check()
    page.get_by_role("button", name="Mark as done").click()
    visitor.check()
    page.get_by_label("What was done").fill("Move offered on Monday; he accepted")
    page.get_by_role("button", name="Mark as done").click()
    visitor.check()
    assert Action.objects.get().done_at is not None
    # Housing was present: it reads the minutes on the meeting page.
    page = visitor.go(f"/meetings/{meeting.uuid}")
    assert "I want to feel safe" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    visitor.sign_in(chair.email, TEST_PASSWORD)
    page = visitor.go(f"/meetings/{meeting.uuid}")
    page.get_by_role("link", name="Record a Safeguarding Adults Review decision").click()
    visitor.check()
    page.get_by_label("Do not refer for a review").check()
    page.get_by_label("Reason").fill("Agencies shared information and acted promptly")
    page.get_by_role("button", name="Record the decision").click()
    visitor.check()
    assert "1 (0 referred for a review)" in page.locator("main").inner_text()
    assert Minutes.objects.count() == 1
    assert TimelineEntry.objects.filter(case=case, kind="panel").count() == 5
