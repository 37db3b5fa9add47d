"""Anonymous, yet two-way, in Chromium on a 375-pixel phone with axe on every page: a person reports without
their name, keeps a way back with a passphrase, the hub asks on the report's page, the person comes back from
another browser, reads and answers, and chooses to give their name — and the hub picks the report up as a named
one without them telling it again. The same pages work with JavaScript off."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from joinedup.accounts.models import Agency, User
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.followup.services import follow_up_reply
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.services import harm_report_raise
from joinedup.incidents.models import Incident, TriageItem
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS
from tests.browser import test_public_safety
from tests.browser.conftest import Visitor
from tests.browser.test_public_safety import PHONE, _start, _walk

PHRASE = "purple harbour lantern"
# The public door's visitor on a 375-pixel phone (exit site answered locally), under a name of this file.
on_a_phone = test_public_safety.phone


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{page.url} spills sideways"


def test_report_anonymously_keep_a_way_back_answer_and_become_named(
    on_a_phone: Visitor, visitor: Visitor, lead_agency: Agency
) -> None:
    page = _start(on_a_phone)
    _walk(on_a_phone, {**INCIDENT_ANSWERS, "name": {"give_name": "no"}})
    page.get_by_role("button", name="Send").click()
    on_a_phone.check()
    page.get_by_role("button", name="Choose a passphrase").click()
    on_a_phone.check()
    _fits(page)
    item = TriageItem.objects.get()
    words = item.incident.description
    assert item.reference in page.locator(".govuk-caption-l").inner_text()
    page.get_by_label("Your passphrase", exact=True).fill("kettle")
    page.get_by_label("Type your passphrase again").fill("kettle")
    page.get_by_role("button", name="Keep my passphrase").click()
    on_a_phone.check()
    assert "at least 10 characters" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your passphrase", exact=True).fill(PHRASE)
    page.get_by_label("Type your passphrase again").fill(PHRASE)
    page.get_by_role("button", name="Keep my passphrase").click()
    on_a_phone.check()
    _fits(page)
    assert item.reference in page.locator(".govuk-panel").inner_text()

    # The hub asks, on the report's page.
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example", name="Hana Hub")
    visitor.sign_in(worker.email, TEST_PASSWORD)
    hub = visitor.go(f"/triage/{item.uuid}")
    hub.get_by_role("button", name="Send the question").click()
    visitor.check()
    assert "Enter your question" in hub.locator(".govuk-error-summary").inner_text()
    hub.get_by_label("Ask them a question").fill("Is he still coming to your door?")
    hub.get_by_role("button", name="Send the question").click()
    visitor.check()
    assert "Your question has been sent" in hub.locator("main").inner_text()

    # The person comes back: from the start page, with the reference and the passphrase.
    page = on_a_phone.go("/")
    page.get_by_role("link", name="Check for a reply to a report you made without your name").click()
    on_a_phone.check()
    _fits(page)
    page.get_by_label("Your reference").fill(item.reference.lower())
    page.get_by_label("Your passphrase").fill("wrong words here")
    page.get_by_role("button", name="Continue").click()
    on_a_phone.check()
    assert "We cannot find a report" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Your reference").input_value() == item.reference.lower(), "nothing typed is lost"
    page.get_by_label("Your passphrase").fill(PHRASE)
    page.get_by_role("button", name="Continue").click()
    on_a_phone.check()
    _fits(page)
    main = page.locator("main").inner_text()
    assert "Is he still coming to your door?" in main and "Hana" not in main
    page.get_by_label("Your answer").fill("Yes, most nights after ten.")
    page.get_by_role("button", name="Send").click()
    on_a_phone.check()
    assert "We have sent your message" in page.locator("main").inner_text()

    page.get_by_role("link", name="Give your name").click()
    on_a_phone.check()
    _fits(page)
    page.get_by_label("Your name").fill("Sam Lee")
    page.get_by_role("button", name="Send my name").click()
    on_a_phone.check()
    assert "Enter a phone number or an email address" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("How can we keep in touch safely? (optional)").fill("Text first")
    page.get_by_role("button", name="Send my name").click()
    on_a_phone.check()
    assert "A worker will get in touch" in page.locator("main").inner_text()

    # The hub reads the answer and picks the report up as a named one: the words are as they were told.
    hub = visitor.go(f"/triage/{item.uuid}")
    main = hub.locator("main").inner_text()
    assert "Yes, most nights after ten." in main and "Gave their name" in main and "Sam Lee" in main
    hub.get_by_role("button", name="Record as a new person").click()
    visitor.check()
    incident = Incident.objects.get()
    assert incident.person is not None and incident.person.given_name == "Sam"
    assert incident.description == words, "their account, exactly as they first told it"


def test_check_for_a_reply_without_javascript(browser: Browser, live_server: object, housing: Agency) -> None:
    report = harm_report_raise(
        actor=None,
        data=ReportInput(reported_by="anonymous", description="Night staff lock doors.", speaking_up=True),
        about_agency=housing,
        passphrase=PHRASE,
    )
    assert report.follow_up is not None
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/check-for-a-reply")
    page.get_by_label("Your reference").fill(report.follow_up.reference)
    page.get_by_label("Your passphrase").fill(PHRASE)
    page.get_by_role("button", name="Continue").click()
    assert "There are no questions for you yet" in page.locator("main").inner_text()
    page.get_by_label("Tell us more if you want to").fill("It happens on Ward 3.")
    page.get_by_role("button", name="Send").click()
    assert "It happens on Ward 3." in page.locator("main").inner_text()
    page.get_by_role("link", name="Give your name").click()
    assert page.get_by_role("group", name="Who are you?").count() == 1
    context.close()


def test_the_speaking_up_line_on_a_phone(on_a_phone: Visitor, housing: Agency) -> None:
    page = on_a_phone.go("/")
    page.get_by_role("link", name="Raise a concern about a service").click()
    on_a_phone.check()
    _fits(page)
    page.get_by_label("Which service is it about?").select_option(label="Riverside Homes")
    page.get_by_label("What happened?").fill("Residents are left in wet beds all night.")
    page.get_by_label("I do not want to give my name").check()
    page.get_by_label("No, thank you").check()
    page.get_by_role("button", name="Send").click()
    on_a_phone.check()
    page.get_by_role("button", name="Choose a passphrase").click()
    on_a_phone.check()
    page.get_by_label("Your passphrase", exact=True).fill(PHRASE)
    page.get_by_label("Type your passphrase again").fill(PHRASE)
    page.get_by_role("button", name="Keep my passphrase").click()
    on_a_phone.check()
    assert "You can check for a reply" in page.locator("h1").inner_text()


def test_the_answering_agency_asks_on_the_harm_report_page(
    visitor: Visitor, housing: Agency, housing_officer: User
) -> None:
    report = harm_report_raise(
        actor=None,
        data=ReportInput(reported_by="anonymous", description="Residents wait hours for help.", speaking_up=True),
        about_agency=housing,
        passphrase=PHRASE,
    )
    assert report.follow_up is not None
    follow_up_reply(follow_up=report.follow_up, text="It is worst at weekends.")
    # The first page a fresh server renders compiles its templates: on a busy 2-core machine that can pass 5 s.
    visitor.page.context.set_default_timeout(15_000)
    visitor.sign_in(housing_officer.email, TEST_PASSWORD)
    page = visitor.go(f"/harm/reports/{report.uuid}")
    main = page.locator("main").inner_text()
    assert "It is worst at weekends." in main and "New answer" in main
    page.get_by_role("button", name="Send the question").click()
    visitor.check()
    assert "Enter your question" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Ask them a question").fill("Which floor, and since when?")
    page.get_by_role("button", name="Send the question").click()
    visitor.check()
    assert "Which floor, and since when?" in page.locator("main").inner_text()
