"""Playwright driving Debian's Chromium (never `playwright install`), with an axe scan on every page visited.

Each test gets a fresh browser context. Console errors (including Content-Security-Policy violations) fail the
test, so a page that only works by breaking its own CSP cannot pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _known_govuk_conditional_reveal(violation: dict[str, Any]) -> bool:
    """GOV.UK Frontend sets aria-expanded on radios and checkboxes that reveal a follow-up question. axe calls
    it not allowed for those roles; GOV.UK keeps it on purpose because screen readers announce it and testing
    with users found it helps (alphagov/govuk-frontend#979). Only exactly that is let through: every node must
    be a GOV.UK radio or checkbox with aria-controls, and aria-expanded the only complaint."""
    if violation["id"] != "aria-allowed-attr":
        return False
    for node in violation["nodes"]:
        html = node["html"]
        govuk_reveal = ("govuk-radios__input" in html or "govuk-checkboxes__input" in html) and "aria-controls=" in html
        checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
        complaints = [m for check in checks for m in _as_list(check.get("data"))]
        if not govuk_reveal or not complaints or any(not str(c).startswith("aria-expanded=") for c in complaints):
            return False
    return True


def _as_list(data: Any) -> list[str]:
    if data is None:
        return []
    if isinstance(data, list):
        return [str(d) for d in data]
    return [str(data)]


@dataclass
class Visitor:
    """A page plus the live server's address, checking every page it lands on with axe."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)

    def go(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def check(self) -> None:
        """Scan the page the browser is on now (after a click or a form post)."""
        results = _axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = [v for v in results.response["violations"] if not _known_govuk_conditional_reveal(v)]
        results.response["violations"] = violations
        assert not violations, f"axe on {self.page.url}:\n{results.generate_report()}"
        self.scanned.append(self.page.url)

    def sign_in(self, email: str, password: str) -> None:
        self.go("/account/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.check()


@pytest.fixture(scope="session", autouse=True)
def _warm_live_server(live_server: object) -> None:
    """The live server's first answer loads every view and template (6–12 s on a busy 2-core machine), beyond the
    5-second step limit: ask for two pages once, before any test's clock starts."""
    for path in ("/", "/account/sign-in"):
        with contextlib.suppress(urllib.error.HTTPError):  # any answer warms it
            urllib.request.urlopen(f"{live_server}{path}", timeout=120).read()  # noqa: S310 (our own test server)


@pytest.fixture
def visitor(browser: Browser, live_server: object) -> Iterator[Visitor]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(5_000)
    page = context.new_page()
    visitor = Visitor(page=page, base_url=str(live_server))

    def on_console(message: ConsoleMessage) -> None:
        # A page's own status (a 404 page, a 400 form error) is reported by Chromium as a failed load; failed
        # sub-resources are caught by on_response below instead.
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
