"""The panel's people, in Chromium with axe on every page: the lead partner's administrator sets a panel up and
changes it; a key worker refers urgently and brings the person's voice; the coordinator holds a meeting between
the usual ones, hears the case with the voice read first and closes it; a member agency researches the case; and
a key worker is prompted to refer back on a repeat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, make_user
from joinedup.cases.models import Case, Task, TimelineEntry
from joinedup.consent.services import consent_record
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.panels.models import Meeting, Panel, PanelMember, PanelReferral, PersonsVoice, Research
from joinedup.panels.services import (
    REPEAT_TASK,
    meeting_schedule,
    minutes_record,
    panel_create,
    panel_refer,
    panel_referral_list,
)
from joinedup.people.models import Person
from tests.browser.conftest import Visitor


def _warm(visitor: Visitor) -> None:
    """The live server's first page compiles the templates: on a busy machine that alone can pass the 5-second
    step limit, so it is loaded once, unhurried, before the journey starts."""
    visitor.page.goto(visitor.base_url + "/account/sign-in", timeout=60_000)


def _partnership(gp: Agency, nurse: User, housing: Agency, housing_officer: User) -> dict[str, Any]:
    lead = AgencyFactory.create(slug="council", name="Eastmere Council", kind="adult_social_care", is_lead_partner=True)
    world: dict[str, Any] = {
        "lead": lead,
        "chair": make_user(lead, "panel_chair", email="chair@council.example", name="Carys Chair"),
        "coordinator": make_user(lead, "practitioner", email="coord@council.example", name="Colm Coordinator"),
        "admin": make_user(lead, "agency_admin", email="admin@council.example", name="Ada Admin"),
    }
    world["panel"] = panel_create(
        actor=world["admin"],
        name="Eastmere community risk panel",
        area="Eastmere",
        chair=world["chair"],
        coordinator=world["coordinator"],
        members=[(gp, nurse), (housing, housing_officer), (lead, world["coordinator"])],
    )
    return world


def _robert_consented(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> Case:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    consent_record(
        actor=nurse,
        agency=gp,
        person=robert,
        purpose="discuss_at_panel",
        decision="given",
        any_partner=True,
        capacity_note="He asked for the agencies to meet",
    )
    return Case.objects.get(person=robert)


def test_administrator_sets_up_a_panel_and_changes_its_membership_and_dates(
    visitor: Visitor, gp: Agency, nurse: User, housing: Agency, housing_officer: User
) -> None:
    lead = AgencyFactory.create(slug="council", name="Eastmere Council", kind="adult_social_care", is_lead_partner=True)
    make_user(lead, "panel_chair", email="chair@council.example", name="Carys Chair")
    make_user(lead, "practitioner", email="coord@council.example", name="Colm Coordinator")
    admin = make_user(lead, "agency_admin", email="admin@council.example", name="Ada Admin")
    police = AgencyFactory.create(slug="police", name="Eastmere Police", kind="police")
    make_user(police, "practitioner", email="pc@police.example", name="Pat Constable")

    _warm(visitor)
    visitor.sign_in(admin.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("link", name="Multi-agency risk panels").click()
    visitor.check()
    page.get_by_role("button", name="Set up a panel").click()
    visitor.check()
    page.get_by_role("button", name="Set up the panel").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    for problem in ("Enter the panel's name", "Choose the chair", "Choose the member agencies"):
        assert problem in summary
    page.get_by_label("Name of the panel").fill("Eastmere community risk panel")
    page.get_by_label("Area it covers").fill("Eastmere")
    page.get_by_label("Chair", exact=True).select_option(label="Carys Chair (Eastmere Council)")
    page.get_by_label("Coordinator", exact=True).select_option(label="Colm Coordinator (Eastmere Council)")
    page.get_by_role("checkbox", name="Eastmere Council").check()
    page.get_by_role("checkbox", name="High Street GP").check()
    page.get_by_label("Representative for High Street GP").select_option(label=nurse.name)
    page.get_by_role("checkbox", name="Riverside Homes").check()
    page.get_by_role("button", name="Set up the panel").click()
    visitor.check()
    assert "is set up" in page.locator(".govuk-notification-banner").inner_text()
    panel = Panel.objects.get()
    assert PanelMember.objects.get(panel=panel, agency=gp).representative == nurse

    page.get_by_label("Add a meeting date").fill(f"{timezone.localdate() - timedelta(days=1):%d/%m/%Y}")
    page.get_by_role("button", name="Add the date").click()
    visitor.check()
    assert "today or later" in page.locator(".govuk-error-summary").inner_text()
    next_month = timezone.localdate() + timedelta(days=28)
    page.get_by_label("Add a meeting date").fill(f"{next_month:%d/%m/%Y}")
    page.get_by_role("button", name="Add the date").click()
    visitor.check()
    assert Meeting.objects.filter(panel=panel, date=next_month).exists()

    page.get_by_role("checkbox", name="Eastmere Police").check()
    page.get_by_label("Representative for Eastmere Police").select_option(label="Pat Constable")
    page.get_by_role("button", name="Save the membership").click()
    visitor.check()
    assert "membership is saved" in page.locator(".govuk-notification-banner").inner_text()
    assert PanelMember.objects.get(panel=panel, agency=police).representative is not None
    # The administrator sets the panel up; its cases are for its members.
    page = visitor.go("/panels")
    assert "Membership and dates" in page.locator("main").inner_text()


def test_urgent_referral_heard_between_meetings_with_the_voice_read_first_then_closed(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    world = _partnership(gp, nurse, housing, housing_officer)
    coordinator, panel = world["coordinator"], world["panel"]
    case = _robert_consented(nurse, gp, robert, incident_input)
    meeting_schedule(actor=coordinator, panel=panel, day=timezone.localdate() + timedelta(days=21))

    # The key worker refers urgently, then brings his voice.
    _warm(visitor)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.go(f"/cases/{case.uuid}/support")
    page.get_by_role("link", name="Refer to the panel").click()
    visitor.check()
    page.get_by_role("checkbox", name="Professional judgement").check()
    page.get_by_label("Your reasons, if you use professional judgement").fill("He is alone when they come")
    page.get_by_label("Situational (where they live or who is around them)").check()
    page.get_by_label("Yes, it is urgent").check()
    page.get_by_label("Summary for the panel").fill("Threats have moved to his front door.")
    page.get_by_role("button", name="Refer to the panel").click()
    visitor.check()
    assert PanelReferral.objects.get().urgent
    support = page.locator("main").inner_text()
    assert "Referred" in support and "Urgent" in support
    page.get_by_role("link", name="Bring their voice to the panel").click()
    visitor.check()
    page.get_by_role("button", name="Save their words").click()
    visitor.check()
    assert "in their words" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What they want and what they fear, in their words").fill("I want to open my door again.")
    page.get_by_role("button", name="Save their words").click()
    visitor.check()
    assert PersonsVoice.objects.get().as_role == "key_worker"
    page.get_by_role("button", name="Sign out").click()

    # The coordinator sees it waiting, urgent; holds a meeting today, between the usual ones, and lists it.
    visitor.sign_in(coordinator.email, TEST_PASSWORD)
    page = visitor.page
    page.get_by_role("link", name="Multi-agency risk panels").click()
    visitor.check()
    page.get_by_role("link", name=panel.name).click()
    visitor.check()
    waiting = page.locator("main").inner_text()
    assert "Cases waiting to be listed" in waiting and "Urgent" in waiting
    page.get_by_label("Date of the meeting").fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Schedule the meeting").click()
    visitor.check()
    page.get_by_role("button", name="List for this meeting").click()
    visitor.check()
    today = Meeting.objects.get(panel=panel, date=timezone.localdate())
    page.get_by_role("button", name="Sign out").click()

    # A member agency records what it knows before the case is heard.
    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page = visitor.go(f"/meetings/{today.uuid}")
    main = page.locator("main").inner_text()
    assert main.index("I want to open my door again.") < main.index("Why the panel hears it")
    assert "He is alone when they come" not in main  # the referrer's own reasons are for full readers
    page.get_by_text("Record your agency's research").click()
    page.get_by_label("What your agency knows, the risks, and what it can offer").fill("Tenant since 2019; a move")
    page.get_by_role("button", name="Save research").click()
    visitor.check()
    assert Research.objects.get().agency == housing
    page.get_by_role("button", name="Sign out").click()

    # The coordinator hears it: the voice is filled in from what the key worker brought.
    visitor.sign_in(coordinator.email, TEST_PASSWORD)
    page = visitor.go(f"/meetings/{today.uuid}")
    voice = page.get_by_label("The person's voice: what they want and fear")
    assert voice.input_value() == "I want to open my door again."
    page.get_by_label("Discussion").fill("Housing can offer a move; the GP will check in weekly.")
    page.get_by_label("High Street GP").check()
    page.get_by_label("Riverside Homes").check()
    page.get_by_role("button", name="Record the minutes").click()
    visitor.check()
    page.get_by_label("What will be done").fill("Offer a management move")
    page.get_by_label("Which agency").select_option(label="Riverside Homes")
    page.get_by_label("Who owns it").select_option(label=f"{housing_officer.name} (Riverside Homes)")
    page.get_by_label("Due by").fill(f"{timezone.localdate() + timedelta(days=14):%d/%m/%Y}")
    page.get_by_role("button", name="Agree the action").click()
    visitor.check()

    # Closing with an action still open needs a decision, said plainly.
    page.get_by_role("link", name="Close the case at the panel").click()
    visitor.check()
    assert "Offer a management move" in page.locator("main").inner_text()
    page.get_by_label("Support carries on with a lead agency, outside the panel").check()
    page.get_by_label("Reason").fill("Housing leads from here; risk is down since the plan.")
    page.get_by_role("button", name="Close the case at the panel").click()
    visitor.check()
    assert "not done yet" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Reason").input_value().startswith("Housing leads")  # nothing typed is lost
    page.get_by_label("Their agencies carry on with them outside the panel").check()
    page.get_by_role("button", name="Close the case at the panel").click()
    visitor.check()
    assert PanelReferral.objects.get().status == "closed"
    assert "has closed the case" in page.locator(".govuk-notification-banner").inner_text()
    assert TimelineEntry.objects.filter(case=case, kind="panel", summary__contains="closed the case").exists()


def test_the_key_worker_is_prompted_to_refer_back_on_a_repeat(
    visitor: Visitor,
    nurse: User,
    gp: Agency,
    robert: Person,
    housing: Agency,
    housing_officer: User,
    incident_input: Callable[..., IncidentInput],
) -> None:
    world = _partnership(gp, nurse, housing, housing_officer)
    coordinator, panel = world["coordinator"], world["panel"]
    case = _robert_consented(nurse, gp, robert, incident_input)
    first = panel_refer(
        actor=nurse,
        agency=gp,
        case=case,
        panel=panel,
        criteria=["professional_judgement"],
        summary="Threats at his door",
        judgement_reasons="He is alone when they come",
    )
    meeting = meeting_schedule(actor=coordinator, panel=panel, day=timezone.localdate())
    panel_referral_list(actor=coordinator, meeting=meeting, panel_referral=first)
    minutes_record(
        actor=coordinator,
        meeting=meeting,
        panel_referral=first,
        persons_voice="I want it to stop",
        discussion="A plan agreed",
        present_agencies=[gp],
    )
    PanelReferral.objects.filter(pk=first.pk).update(referred_at=timezone.now() - timedelta(days=60))
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    assert Task.objects.filter(case=case, title=REPEAT_TASK, status="open").exists()

    _warm(visitor)
    visitor.sign_in(nurse.email, TEST_PASSWORD)
    page = visitor.page
    assert "Refer back to the panel" in page.locator("main").inner_text()  # the task on My work
    page = visitor.go(f"/cases/{case.uuid}/support")
    assert "This is a repeat" in page.locator("main").inner_text()
    page.get_by_role("link", name="Refer them back to the panel").click()
    visitor.check()
    assert page.get_by_role("checkbox", name="Repeat").is_checked()
    page.get_by_label("Personal (who they are: for example a disability or illness)").check()
    page.get_by_label("Summary for the panel").fill("It started again last week.")
    page.get_by_role("button", name="Refer to the panel").click()
    visitor.check()
    again = PanelReferral.objects.exclude(pk=first.pk).get()
    assert again.repeat and "repeat" in {c["code"] for c in again.criteria}
    assert Task.objects.get(case=case, title=REPEAT_TASK).status == "done"
    assert "Repeat" in page.locator("main").inner_text()
