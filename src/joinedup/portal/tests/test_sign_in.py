"""Signing in to My support (docs/portal.md): a person is never sent to the practitioners' second-factor pages;
their passkey is named neutrally and signs them in alone; a practitioner's passkey never skips a password; a new
link by email gives the same answer whatever happens and only goes where the safe-contact rules allow; the extra
check after a link is the person's choice, and their key worker can undo it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn.models import WebAuthnCredential

from joinedup.accounts.middleware import LAST_SEEN_AT
from joinedup.accounts.models import Agency, SignInSession, User
from joinedup.accounts.tests.authenticator import SoftAuthenticator
from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user
from joinedup.audit.models import AuditEntry
from joinedup.cases.models import Case
from joinedup.incidents.domain.recording import IncidentInput
from joinedup.incidents.services import incident_record
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import ContactAttempt, Person
from joinedup.people.services import person_create
from joinedup.portal.models import PortalAccount
from joinedup.portal.services import portal_invite, portal_revoke, sign_in_link

REGISTER_BEGIN = "/account/passkeys/registration/begin"
REGISTER_COMPLETE = "/account/passkeys/registration/complete"
CHECK_BEGIN = "/account/passkeys/authentication/begin"
CHECK_COMPLETE = "/account/passkeys/authentication/complete"
ALONE_BEGIN = "/my/passkey/sign-in/begin"
ALONE_COMPLETE = "/my/passkey/sign-in/complete"


@pytest.fixture(params=[True, False], ids=["production-setting", "setting-off"])
def production(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = request.param
    return bool(request.param)


@pytest.fixture
def invited(nurse: User, gp: Agency, robert: Person, incident_input: Callable[..., IncidentInput]) -> PortalAccount:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    case = Case.objects.get(person=robert)
    return portal_invite(actor=nurse, agency=gp, person=robert, case=case, channel="text")[0]


@pytest.fixture
def emailed(nurse: User, gp: Agency, incident_input: Callable[..., IncidentInput]) -> PortalAccount:
    person = person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(
            given_name="Amira", family_name="Khan", email="amira@example.org", contact_allowed=("email",)
        ),
    )
    incident_record(actor=nurse, agency=gp, person=person, data=incident_input())
    case = Case.objects.get(person=person)
    account = portal_invite(actor=nurse, agency=gp, person=person, case=case, channel="email")[0]
    mail.outbox.clear()
    return account


@pytest.fixture
def ask(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Ask for a new link from a new browser; emails go when the request's transaction commits."""

    def post(email: str, **extra: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post("/my/new-link", {"email": email}, **extra)

    return post


def by_link(account: PortalAccount) -> tuple[Client, Any]:
    """A fresh link (made from the account as it is now: a link is tied to the last sign-in) opened in a new
    browser."""
    browser = Client()
    return browser, browser.post(sign_in_link(User.objects.get(pk=account.user_id)))


def post_json(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def add_passkey(client: Client, authenticator: SoftAuthenticator) -> Any:
    options = post_json(client, REGISTER_BEGIN).json()
    return post_json(client, REGISTER_COMPLETE, authenticator.create(options))


def passkey_alone(client: Client, authenticator: SoftAuthenticator) -> Any:
    options = post_json(client, ALONE_BEGIN).json()
    return post_json(client, ALONE_COMPLETE, authenticator.get(options))


def test_a_person_is_never_sent_to_the_practitioners_second_factor_pages(
    invited: PortalAccount, gp: Agency, production: bool
) -> None:
    browser, answer = by_link(invited)
    assert answer.status_code == 302 and answer["Location"] == "/my"
    for path in ("/my", "/my/messages", "/my/passkeys", "/my/safety-plan"):
        page = browser.get(path)
        assert page.status_code == 200, f"{path} under {'production' if production else 'development'} settings"
    for path in ("/account/second-factor/set-up", "/account/second-factor", "/account/security"):
        assert browser.get(path).status_code == 404, f"{path} is a practitioner's page"
    # A practitioner in the same partnership still must set one up in production.
    make_user(gp, email="worker@gp.example")
    staff = Client()
    signed_in = staff.post("/account/sign-in", {"email": "worker@gp.example", "password": TEST_PASSWORD})
    expected = "/account/second-factor/set-up" if production else "/my-work"
    assert signed_in["Location"].startswith(expected)
    if production:
        assert staff.get("/my-work")["Location"].startswith("/account/second-factor/set-up")


def test_a_person_whose_session_ends_is_sent_to_their_own_signed_out_page(invited: PortalAccount) -> None:
    browser, _ = by_link(invited)
    session = browser.session
    session[LAST_SEEN_AT] = time.time() - 3 * 3600
    session.save()
    answer = browser.get("/my/messages")
    assert answer.status_code == 302 and answer["Location"] == "/my/signed-out?ended=idle"
    page = browser.get(answer["Location"]).content.decode()
    assert "We signed you out because you had not done anything for a while" in page
    assert "Sign in with your passkey" in page and "get a new link by email" in page


def test_the_person_s_passkey_is_named_my_support_and_is_discoverable(invited: PortalAccount) -> None:
    browser, _ = by_link(invited)
    options = post_json(browser, REGISTER_BEGIN).json()
    assert options["rp"]["name"] == "My support"
    assert options["user"]["name"] == "My support" and options["user"]["displayName"] == "My support"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    shown = json.dumps(options)
    assert "Robert" not in shown and "joinedup" not in shown.lower() and "@" not in shown


def test_a_practitioner_s_passkey_keeps_their_own_names(gp: Agency) -> None:
    make_user(gp, email="worker@gp.example", name="Wren Worker")
    staff = Client()
    staff.post("/account/sign-in", {"email": "worker@gp.example", "password": TEST_PASSWORD})
    options = post_json(staff, REGISTER_BEGIN).json()
    assert options["rp"]["name"] == "JoinedUp" and options["user"]["name"] == "worker@gp.example"
    assert options["authenticatorSelection"]["residentKey"] == "preferred"


def test_a_person_adds_a_passkey_and_signs_in_with_it_alone(invited: PortalAccount, production: bool) -> None:
    browser, _ = by_link(invited)
    phone = SoftAuthenticator()
    assert add_passkey(browser, phone).status_code == 200
    user = invited.user
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1
    assert not StaticDevice.objects.filter(user=user).exists(), "no recovery codes: their way back is a link"
    assert AuditEntry.objects.filter(actor=user, summary="Passkey added to their own place").exists()
    assert "Added on" in browser.get("/my/passkeys").content.decode()
    browser.post("/my/sign-out")
    assert AuditEntry.objects.filter(actor=user, action="sign_out").exists()

    later = Client()
    options = post_json(later, ALONE_BEGIN).json()
    assert "allowCredentials" not in options or options["allowCredentials"] == [], "who they are is never asked"
    assert options["userVerification"] == "required", "their fingerprint, face or screen lock"
    done = post_json(later, ALONE_COMPLETE, phone.get(options))
    assert done.status_code == 200 and done.json()["redirect_url"] == "/my"
    assert later.get("/my").status_code == 200
    assert later.get("/my/passkeys").status_code == 200
    entry = AuditEntry.objects.filter(actor=user, action="sign_in").order_by("-id").first()
    assert entry is not None and entry.summary == "Signed in to their own place with their passkey"
    assert "Robert" not in entry.summary
    assert SignInSession.objects.filter(user=user).exists(), "switching their place off can end it"


def test_a_practitioner_s_passkey_never_skips_their_password(gp: Agency, settings: Any) -> None:
    settings.JOINEDUP_REQUIRE_SECOND_FACTOR = True
    worker = make_user(gp, email="worker@gp.example")
    staff = Client()
    staff.post("/account/sign-in", {"email": "worker@gp.example", "password": TEST_PASSWORD})
    key = SoftAuthenticator()
    assert add_passkey(staff, key).status_code == 200

    stranger = Client()
    # django-otp-webauthn's own passwordless endpoints stay off.
    assert post_json(stranger, CHECK_BEGIN).status_code == 403
    # The person's endpoints take only a person's own passkey.
    answer = passkey_alone(stranger, key)
    assert answer.status_code == 403 and answer.json()["code"] == "not_a_persons_passkey"
    assert answer.json()["detail"] == "This passkey is not for My support."
    assert stranger.get("/my-work")["Location"].startswith("/account/sign-in")
    assert AuditEntry.objects.filter(
        action="sign_in_failed", reason="not_a_persons_passkey", object_id=str(worker.uuid)
    ).exists()


def test_a_switched_off_place_does_not_open_with_its_passkey(invited: PortalAccount, nurse: User) -> None:
    browser, _ = by_link(invited)
    phone = SoftAuthenticator()
    add_passkey(browser, phone)
    portal_revoke(actor=nurse, account=invited)
    assert browser.get("/my")["Location"].startswith("/my/signed-out"), "their browser session ended too"
    answer = passkey_alone(Client(), phone)
    assert answer.status_code == 403 and answer.json()["code"] == "place_switched_off"


def test_ask_for_my_passkey_too_after_a_link(invited: PortalAccount, production: bool) -> None:
    browser, _ = by_link(invited)
    phone = SoftAuthenticator()
    add_passkey(browser, phone)  # adding their first passkey counts as using it in this sign-in
    assert browser.post("/my/passkeys", {"action": "ask", "ask": "yes"}).status_code == 302
    invited.refresh_from_db()
    assert invited.asks_passkey_with_link
    browser.post("/my/sign-out")

    later, answer = by_link(invited)
    assert answer["Location"] == "/my/passkey-check?next=/my"
    assert later.get("/my")["Location"].startswith("/my/passkey-check"), "a link alone is not enough now"
    assert later.get("/api/v1/my/case").status_code == 401
    check = later.get("/my/passkey-check?next=/my")
    assert check.status_code == 200 and "Lost your phone?" in check.content.decode()
    assert later.get("/my/signed-out").status_code == 200 and later.get("/exit").status_code == 302
    later, _ = by_link(invited)
    options = post_json(later, CHECK_BEGIN).json()
    done = post_json(later, f"{CHECK_COMPLETE}?next=/my", phone.get(options))
    assert done.status_code == 200 and done.json()["redirect_url"] == "/my"
    assert later.get("/my").status_code == 200


def test_once_there_is_a_passkey_a_link_alone_cannot_change_it(invited: PortalAccount) -> None:
    browser, _ = by_link(invited)
    add_passkey(browser, SoftAuthenticator())
    passkey = WebAuthnCredential.objects.get(user=invited.user)
    browser.post("/my/sign-out")

    someone, _ = by_link(invited)  # whoever reads their messages
    page = someone.get("/my/passkeys").content.decode()
    assert "Take this passkey away" not in page and "first <a" in page
    someone.post("/my/passkeys", {"action": "remove", "passkey": passkey.pk})
    someone.post("/my/passkeys", {"action": "ask", "ask": "yes"})
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    invited.refresh_from_db()
    assert not invited.asks_passkey_with_link
    assert post_json(someone, REGISTER_BEGIN).status_code == 403, "nor add their own"


def test_removing_the_last_passkey_switches_the_check_off(invited: PortalAccount) -> None:
    browser, _ = by_link(invited)
    add_passkey(browser, SoftAuthenticator())
    browser.post("/my/passkeys", {"action": "ask", "ask": "yes"})
    passkey = WebAuthnCredential.objects.get(user=invited.user)
    answer = browser.post("/my/passkeys", {"action": "remove", "passkey": passkey.pk}, follow=True)
    assert "We will not ask for a passkey after a link now." in answer.content.decode()
    invited.refresh_from_db()
    assert not invited.asks_passkey_with_link and not WebAuthnCredential.objects.filter(user=invited.user).exists()
    assert AuditEntry.objects.filter(actor=invited.user, summary="Passkey removed from their own place").exists()
    other = make_user(Agency.objects.get(slug="high-street-gp"), email="x@gp.example")
    theirs = WebAuthnCredential.objects.create(user=other, credential_id=b"x", public_key=b"y", confirmed=True)
    assert browser.post("/my/passkeys", {"action": "remove", "passkey": theirs.pk}).status_code == 404


def test_their_key_worker_removes_their_passkeys(
    invited: PortalAccount, nurse: User, gp: Agency, robert: Person, api_for: Callable[[User], Any]
) -> None:
    browser, _ = by_link(invited)
    add_passkey(browser, SoftAuthenticator())
    browser.post("/my/passkeys", {"action": "ask", "ask": "yes"})
    case = Case.objects.get(person=robert)
    staff = Client()
    staff.force_login(nurse)
    page = staff.get(f"/cases/{case.uuid}/messages").content.decode()
    assert "They sign in with 1 passkey as well as links." in page and "Remove their passkeys" in page
    done = staff.post(f"/cases/{case.uuid}/messages", {"action": "passkeys_reset"}, follow=True)
    assert "Their passkeys are removed" in done.content.decode()
    invited.refresh_from_db()
    assert not invited.asks_passkey_with_link and not WebAuthnCredential.objects.filter(user=invited.user).exists()
    assert browser.get("/my")["Location"].startswith("/my/signed-out"), "whoever had their phone is signed out"
    entry = AuditEntry.objects.get(actor=nurse, details__passkey="removed_all")
    assert entry.person_uuid == robert.uuid
    _, answer = by_link(invited)
    assert answer["Location"] == "/my", "a link alone signs them in again"
    # The same through the API; an agency that does not know them learns nothing.
    assert api_for(nurse).delete(f"/api/v1/people/{robert.uuid}/portal-passkeys").json()["passkeys_removed"] == 0
    stranger = make_user(Agency.objects.create(slug="elsewhere", name="Elsewhere", kind="housing"))
    assert api_for(stranger).delete(f"/api/v1/people/{robert.uuid}/portal-passkeys").status_code == 404


def test_no_place_yet_is_said_plainly(
    nurse: User,
    gp: Agency,
    robert: Person,
    api_for: Callable[[User], Any],
    incident_input: Callable[..., IncidentInput],
) -> None:
    incident_record(actor=nurse, agency=gp, person=robert, data=incident_input())
    answer = api_for(nurse).delete(f"/api/v1/people/{robert.uuid}/portal-passkeys")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_invited"


def test_email_me_a_new_link(emailed: PortalAccount, ask: Callable[..., Any]) -> None:
    answer = ask(" Amira@Example.org ")
    assert answer.status_code == 302 and answer["Location"] == "/my/new-link/sent"
    sent_page = Client().get(answer["Location"]).content.decode()
    assert "If this email is on your record, we have sent a new link. It works once, for 15 minutes." in sent_page
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amira@example.org"] and message.from_email.startswith("My support <")
    words = f"{message.subject} {message.body}".lower()
    assert "joinedup" not in words and "hate" not in words and "amira" not in words
    link = next(word for word in message.body.split() if word.startswith("http://testserver/my/sign-in?sesame="))
    assert Client().post(link.removeprefix("http://testserver"))["Location"] == "/my"
    attempt = ContactAttempt.objects.get(person=emailed.person, channel="email", outcome="sent", actor=emailed.user)
    assert "asked for" in attempt.purpose
    asked = AuditEntry.objects.get(object_type="portal.signinlink")
    assert "amira" not in f"{asked.summary} {asked.details}".lower()


@pytest.mark.parametrize("email", ["nobody@example.org", "nurse@gp.example"])
def test_a_new_link_for_an_unknown_address_looks_exactly_the_same(
    emailed: PortalAccount, email: str, ask: Callable[..., Any]
) -> None:
    known = ask("amira@example.org")
    unknown = ask(email)
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [["amira@example.org"]]


def test_a_new_link_goes_only_where_the_safe_contact_rules_allow(
    emailed: PortalAccount, invited: PortalAccount, ask: Callable[..., Any]
) -> None:
    person = emailed.person
    person.safe_contact = {**person.safe_contact, "allowed": ["text"]}
    person.save(update_fields=["safe_contact"])
    assert ask("amira@example.org")["Location"] == "/my/new-link/sent"
    assert mail.outbox == []
    assert ContactAttempt.objects.filter(person=person, channel="email", outcome="refused").exists()
    # Invited by text: no link by email, whatever is typed (the page says to ask the key worker).
    robert = invited.person
    robert.email = "robert@example.org"
    robert.save(update_fields=["email"])
    ask("robert@example.org")
    assert mail.outbox == []


def test_new_links_are_rate_limited_per_address_and_per_client(
    emailed: PortalAccount, settings: Any, ask: Callable[..., Any]
) -> None:
    settings.PORTAL_LINK_REQUEST_RATE = 2
    for _ in range(3):
        ask("amira@example.org", REMOTE_ADDR="10.0.0.1")
    assert len(mail.outbox) == 2, "per address"
    throttled = AuditEntry.objects.filter(object_type="portal.signinlink", details__throttled=True)
    assert throttled.count() == 1
    for n in range(10):
        ask(f"someone{n}@example.org", REMOTE_ADDR="10.0.0.2")
    assert AuditEntry.objects.filter(object_type="portal.signinlink", details__throttled=True).count() == 1
    ask("someone-else@example.org", REMOTE_ADDR="10.0.0.2")
    assert AuditEntry.objects.filter(object_type="portal.signinlink", details__throttled=True).count() == 2, (
        "per client: five times the per-address limit"
    )


def test_a_new_link_form_says_what_is_wrong(db: None) -> None:
    answer = Client().post("/my/new-link", {"email": "not an address"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Enter your email address, like name@example.com" in page and "not an address" in page
    assert "no-store" in answer["Cache-Control"]


def test_an_old_link_offers_the_ways_back_in_and_is_audited(invited: PortalAccount) -> None:
    link = sign_in_link(invited.user)
    Client().post(link)
    again = Client().get(link)
    assert again.status_code == 400
    page = again.content.decode()
    assert "Sign in with your passkey" in page and "get a new link by email" in page
    assert "ask your key worker for a new link" in page
    assert AuditEntry.objects.filter(action="sign_in_failed", reason="link_spent").count() == 1


def test_an_invitation_by_email_carries_the_whole_address(
    nurse: User,
    gp: Agency,
    incident_input: Callable[..., IncidentInput],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = person_create(
        actor=nurse,
        agency=gp,
        details=PersonDetails(given_name="Sam", family_name="Lee", email="sam@example.org", contact_allowed=("email",)),
    )
    incident_record(actor=nurse, agency=gp, person=person, data=incident_input())
    case = Case.objects.get(person=person)
    staff = Client()
    staff.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/cases/{case.uuid}/messages", {"action": "invite", "channel": "email"})
    assert "http://testserver/my/sign-in?sesame=" in mail.outbox[0].body, "a link in an email must be whole"
    assert mail.outbox[0].from_email.startswith("My support <")


def test_the_answer_does_the_same_work_whether_or_not_the_address_is_known(emailed: PortalAccount) -> None:
    """The looking up and sending happen in the background, so not even the time the answer takes differs."""
    counts = []
    for email, client in (("amira@example.org", "10.0.0.1"), ("nobody@example.org", "10.0.0.2")):
        with CaptureQueriesContext(connection) as queries:
            answer = Client().post("/my/new-link", {"email": email}, REMOTE_ADDR=client)
        assert answer["Location"] == "/my/new-link/sent"
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert mail.outbox == [], "nothing is sent until the request's work is committed"


@pytest.mark.parametrize(
    ("asked", "onwards"),
    [("/my/messages", "/my/messages"), ("/my-work", "/my"), ("https://elsewhere.example/my", "/my"), ("//x/my", "/my")],
)
def test_the_passkey_check_goes_on_only_within_my_support(invited: PortalAccount, asked: str, onwards: str) -> None:
    browser, _ = by_link(invited)  # no passkey: nothing to check, so straight on
    assert browser.get("/my/passkey-check", {"next": asked})["Location"] == onwards
