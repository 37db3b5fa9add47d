"""The public door on a 375-pixel phone, as a person in danger uses it: every page scanned with axe.

Exit this page (button and Shift ×3) then Back; crisis help on the very next page; the time-out warning (a
modal dialog two minutes before the end, "Stay on this page", and words kept when time runs out); each journey
end to end with "tell us more"; and the shortest route counted (pages and questions) and timed with a scripted
person typing a 300-character story at a human speed. No network here: the neutral exit site is intercepted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, Route

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.models import Incident, JourneyDraft, TriageItem
from joinedup.incidents.services import public_report_submit
from joinedup.incidents.tests.test_journeys import INCIDENT_ANSWERS
from tests.browser.conftest import Visitor
from tests.browser.test_recording_journeys import answer

PHONE = {"width": 375, "height": 812}
EXIT_SITE = "https://www.bbc.co.uk/weather"
STORY = (
    "The man at number 4 shouts at me when I go out. He calls me a nutter and says I should be locked up. "
    "Last night he kicked my door and his friends filmed it. I am scared to leave the flat now and I have "
    "stopped going to the group. I just want it to stop and to feel safe at home again."
)
# Typing on a phone: about 36 words a minute, or one character every 0.3 seconds.
TYPING_DELAY_MS = 300
READING_PAUSE_MS = 2_000  # a moment to read each page before answering
FIVE_MINUTES = 300.0
MOST_QUESTIONS = 12

# JavaScript: the questions a page asks, as a person sees them — every visible group of radios or checkboxes,
# date input, text box or text area (revealed follow-up questions count once they are shown).
VISIBLE_QUESTIONS = """() => {
  const form = document.querySelector("form[data-report-form]");
  const seen = new Set();
  for (const el of form.querySelectorAll("input, textarea, select")) {
    if (el.type === "hidden" || el.offsetParent === null) continue;
    const date = el.closest(".govuk-date-input");
    seen.add(date ? date.id : el.name);
  }
  return [...seen];
}"""


@pytest.fixture
def phone(browser: Browser, live_server: object) -> Iterator[Visitor]:
    """A visitor on a 375-pixel phone, with the neutral exit site answered locally (there is no network)."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Europe/London", has_touch=True)
    context.set_default_timeout(10_000)

    def leave(route: Route) -> None:
        """Our server's exit answer, checked; then the browser goes on to the neutral site as a new navigation,
        because Playwright cannot intercept where a redirect leads (and there is no network here)."""
        answer = route.fetch(max_redirects=0)
        assert answer.status == 302 and answer.headers["location"] == EXIT_SITE
        assert answer.headers["cache-control"] == "no-store" and "cache" in answer.headers["clear-site-data"]
        route.fulfill(
            status=200,
            content_type="text/html",
            body=f'<!doctype html><title>Leaving</title><script>location.replace("{EXIT_SITE}")</script>',
        )

    def neutral_site(route: Route) -> None:
        route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"
        )

    context.route("https://www.bbc.co.uk/**", neutral_site)
    context.route("**/exit", leave)
    page = context.new_page()
    visitor = Visitor(page=page, base_url=str(live_server))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            visitor.console_errors.append(message.text)

    def on_response(response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            visitor.console_errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: visitor.console_errors.append(str(error)))
    yield visitor
    context.close()
    assert visitor.console_errors == [], "the browser reported errors (CSP violations count)"


def _continue(visitor: Visitor) -> None:
    visitor.page.get_by_role("button", name="Continue").click()
    visitor.check()


def _start(visitor: Visitor, who: str = "It happened to me") -> Page:
    page = visitor.go("/")
    page.get_by_role("button", name="Start now").click()
    visitor.check()
    page.get_by_label(who).check()
    _continue(visitor)
    return page


def _walk(visitor: Visitor, answers: dict[str, dict[str, Any]], until: str = "/check") -> list[str]:
    page, seen = visitor.page, []
    for _ in range(40):
        if page.url.endswith(until):
            return seen
        slug = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[1]
        seen.append(slug)
        if slug == "help-now":
            page.get_by_role("button", name="Continue").click()
            visitor.check()
            continue
        answer(page, answers.get(slug, {}))
        _continue(visitor)
    raise AssertionError(f"the journey does not reach {until}")


def test_shortest_route_asks_at_most_12_questions_and_takes_under_5_minutes(
    phone: Visitor, lead_agency: Agency
) -> None:
    page = phone.page
    began = time.monotonic()
    _start(phone)
    asked: dict[str, list[str]] = {}

    def read_then(slug: str, act: Any) -> None:
        page.wait_for_timeout(READING_PAUSE_MS)
        act()
        asked[slug] = page.evaluate(VISIBLE_QUESTIONS)
        _continue(phone)

    read_then(
        "what-happened",
        lambda: page.get_by_label("Tell us what happened").press_sequentially(
            STORY, delay=TYPING_DELAY_MS, timeout=240_000
        ),
    )
    read_then("when", lambda: page.get_by_label("In the last 7 days").check())
    read_then("where", lambda: page.get_by_label("In the street").check())
    read_then("why", lambda: page.get_by_label("Your mental health or a disability").check())
    read_then("safe-now", lambda: page.get_by_label("None of these").check())
    read_then("wishes", lambda: page.get_by_label("Make it stop").check())

    def name() -> None:
        page.get_by_label("Yes").check()
        page.get_by_label("First name").fill("Sam")
        page.get_by_label("Last name (optional)").fill("Okafor")

    read_then("name", name)

    def contact() -> None:
        page.get_by_label("Text message").check()
        page.get_by_label("Mobile number for texts").fill("07700 900982")
        page.get_by_label("Anything we should know to keep contact safe?").fill("Texts only, never call.")

    read_then("contact", contact)
    assert page.url.endswith("/report/check")
    page.wait_for_timeout(READING_PAUSE_MS)
    page.get_by_role("button", name="Send").click()
    phone.check()
    took = time.monotonic() - began
    questions = sum(len(q) for q in asked.values())
    print(f"\nshortest route: {len(asked)} question pages, {questions} questions, {took:.0f} s: {asked}")  # noqa: T201 — the figure for the report
    assert "We have your report" in page.locator("h1").inner_text()
    assert questions <= MOST_QUESTIONS, asked
    assert list(asked) == ["what-happened", "when", "where", "why", "safe-now", "wishes", "name", "contact"]
    assert took <= FIVE_MINUTES
    incident = Incident.objects.get()
    assert incident.description == STORY and incident.strands == ["disability"]
    assert TriageItem.objects.get().reported_identity["phone"] == "07700 900982"


def test_exit_this_page_by_button_then_back_shows_nothing(phone: Visitor, lead_agency: Agency) -> None:
    page = _start(phone)
    page.get_by_label("Tell us what happened").fill(STORY)
    _continue(phone)
    assert page.url.endswith("/report/when")
    page.get_by_role("button", name="Exit this page").click()
    page.wait_for_url(EXIT_SITE)
    page.go_back()
    page.wait_for_load_state()
    assert page.url.startswith(phone.base_url)
    assert "man at number 4" not in page.content()
    phone.check()
    page.goto(phone.base_url + "/report/what-happened")
    assert "man at number 4" not in page.content()
    assert "We closed your report on this device" in page.locator("h1").inner_text()
    phone.check()
    # The code written down still works.
    code = JourneyDraft.objects.get().resume_code
    page.goto(phone.base_url + "/report/resume")
    page.get_by_label("Carry on with a report").fill(code)
    _continue(phone)
    page.goto(phone.base_url + "/report/what-happened")
    assert page.get_by_label("Tell us what happened").input_value() == STORY


def test_exit_this_page_by_pressing_shift_three_times(phone: Visitor, lead_agency: Agency) -> None:
    page = _start(phone)
    page.get_by_label("Tell us what happened").fill(STORY)
    _continue(phone)
    page.locator("h1").click()  # focus on the page, not in a text box
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_SITE)
    page.go_back()
    page.wait_for_load_state()
    assert "man at number 4" not in page.content()


def test_crisis_answer_shows_help_now_before_going_on(phone: Visitor, lead_agency: Agency) -> None:
    page = _start(phone)
    seen = _walk(phone, INCIDENT_ANSWERS, until="/safe-now")
    assert seen[-1] == "why"
    page.get_by_label("I am thinking about ending my life").check()
    _continue(phone)
    assert "Get help now" in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    for words in ("999", "press 55", "NHS 111", "option 2", "116 123", "SHOUT", "85258"):
        assert words in main, words
    page.get_by_role("button", name="Continue").click()
    phone.check()
    assert page.url.endswith("/report/wishes")
    _walk(phone, INCIDENT_ANSWERS)
    page.get_by_role("button", name="Send").click()
    phone.check()
    assert "read it today" in page.locator("main").inner_text()
    assert Incident.objects.get().urgent
    page.go_back()  # Back after sending: the confirmation again, not an error
    page.wait_for_load_state()
    assert page.url.endswith("/report/done") and "We have your report" in page.locator("h1").inner_text()
    phone.check()


def test_time_out_warning_offers_more_time_then_keeps_the_words(phone: Visitor, lead_agency: Agency) -> None:
    page = phone.page
    page.clock.install()
    _start(phone)
    dialog = page.get_by_role("dialog")
    assert not dialog.is_visible(), "no warning yet"
    page.clock.fast_forward("28:01")
    dialog.wait_for(state="visible")
    assert "Do you need more time?" in dialog.inner_text()
    assert page.evaluate("document.activeElement.id") == "app-timeout-heading"
    phone.check()  # axe with the dialog open
    with page.expect_response("**/report/keep-alive") as kept:
        page.get_by_role("button", name="Stay on this page").click()
    assert kept.value.status == 200
    dialog.wait_for(state="hidden")
    page.get_by_label("Tell us what happened").fill(STORY)
    page.clock.fast_forward("29:57")  # the session is about to end: what is typed is sent and kept
    page.wait_for_url("**/report/expired")
    phone.check()
    assert "We saved what you typed on the last page" in page.locator("main").inner_text()
    assert "man at number 4" not in page.content()
    assert JourneyDraft.objects.get().answers["what-happened"]["description"] == STORY


def test_someone_else_anonymous_then_tell_us_more(phone: Visitor, lead_agency: Agency) -> None:
    page = _start(phone, "It happened to someone else")
    answers = {**INCIDENT_ANSWERS, "name": {"give_name": "no"}, "reporter": {"person_knows": "no"}}
    seen = _walk(phone, answers)
    assert seen[0] == "reporter" and "what-kind" not in seen, "the extra questions come after sending"
    check = page.locator("main").inner_text()
    assert "How has it affected" not in check and "Tell us what happened to them" in check
    page.get_by_role("button", name="Send").click()
    phone.check()
    main = page.locator("main").inner_text()
    assert "True Vision" in main and "third party reporting centre" in main
    page.get_by_role("link", name="Read this page in easy read").click()
    phone.check()
    assert page.locator(".app-easy-read svg").count() >= 5
    page.get_by_role("link", name="Read this page in standard English").click()
    phone.check()
    page.get_by_role("button", name="Tell us more").click()
    phone.check()
    more = _walk(phone, answers, until="/report/done?added=1")
    assert more[0] == "what-kind" and "what-happened" not in more
    assert "We have added this to your report" in page.locator("main").inner_text()
    incident = Incident.objects.get()
    assert incident.anonymous and incident.kinds == ["verbal_abuse", "threats"]


@pytest.mark.parametrize("path", ["/easy-read", "/cover-your-tracks", "/privacy", "/cookies", "/accessibility"])
def test_information_pages_on_a_phone(phone: Visitor, path: str) -> None:
    page = phone.go(path)
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing spills sideways"


def test_start_page_links_to_cover_your_tracks_and_easy_read(phone: Visitor) -> None:
    page = phone.go("/")
    page.get_by_role("link", name="Find out how to cover your tracks").click()
    phone.check()
    assert "Cover your tracks" in page.locator("h1").inner_text()
    page = phone.go("/")
    page.get_by_role("link", name="Read this page in easy read").click()
    phone.check()
    assert page.locator(".app-easy-read__item").count() >= 6


def test_triage_shows_urgent_first_with_flags_and_kept_anonymous_reports(phone: Visitor, lead_agency: Agency) -> None:
    public_report_submit(data=IncidentInput(description="Calm report.", reported_by="self"), identity={})
    public_report_submit(
        data=IncidentInput(
            description="Cannot keep safe.", reported_by="third_party", safety_now=("cannot_keep_safe",)
        ),
        identity={},
    )
    worker = make_user(lead_agency, "practitioner", email="hub@lead.example")
    phone.sign_in(worker.email, TEST_PASSWORD)
    page = phone.go("/triage")
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Urgent" in rows.first.inner_text() and "Cannot keep themselves safe" in rows.first.inner_text()
    rows.nth(1).get_by_role("link").click()
    phone.check()
    page.get_by_label("Why it stays anonymous").fill("No name or contact given")
    page.get_by_role("button", name="Keep as anonymous record").click()
    phone.check()
    page.get_by_role("link", name="Reports kept anonymous").click()
    phone.check()
    assert "No name or contact given" in page.locator("main").inner_text()
