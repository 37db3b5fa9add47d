"""Every URL is in the matrix, and the matrix is enforced for anonymous visitors. A new URL that is not
listed here fails the first test: decide who may reach it before it ships."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ANY = str(uuid.uuid4())

# route name → (example path, what an anonymous visitor gets: "public", "sign_in" (redirect), "portal_sign_in"
# (redirect to the person's signed-out page), "api_401",
# "public_flow" (a redirect into the public journey), or a status code)
MATRIX: dict[str, tuple[str, str | int]] = {
    "core:start": ("/", "public"),
    "workspace:my_work": ("/my-work", "sign_in"),
    "core:accessibility": ("/accessibility", "public"),
    "core:privacy": ("/privacy", "public"),
    "core:cookies": ("/cookies", "public"),
    "core:healthz": ("/healthz", "public"),
    "core:bench_bare": ("/bench/bare", 404),  # only where JOINEDUP_BENCH_ENDPOINT is on (benchmarks)
    "core:readyz": ("/readyz", 503),  # public; not ready in tests, where no worker beats
    "dataprotection:subject_access": (f"/people/{ANY}/subject-access", "sign_in"),
    "dataprotection:subject_access_json": (f"/people/{ANY}/subject-access.json", "sign_in"),
    "dataprotection:subject_access_pdf": (f"/people/{ANY}/subject-access.pdf", "sign_in"),
    "api:person-subject-access": (f"/api/v1/people/{ANY}/subject-access", "api_401"),
    "api:person-subject-access-pdf": (f"/api/v1/people/{ANY}/subject-access/pdf", "api_401"),
    "accounts:sign_in": ("/account/sign-in", "public"),
    "accounts:sign_out": ("/account/sign-out", 405),  # POST only
    "accounts:signed_out": ("/account/signed-out", "public"),
    "accounts:second_factor": ("/account/second-factor", "sign_in"),
    "accounts:second_factor_set_up": ("/account/second-factor/set-up", "sign_in"),
    "accounts:recovery_codes": ("/account/second-factor/recovery-codes", "sign_in"),
    "accounts:security": ("/account/security", "sign_in"),
    "accounts:password_change": ("/account/password", "sign_in"),
    "accounts:password_change_done": ("/account/password/changed", "sign_in"),
    "accounts:password_reset": ("/account/password/reset", "public"),
    "accounts:password_reset_sent": ("/account/password/reset/sent", "public"),
    # An unknown or used link answers a page saying so (200), never whether the account exists.
    "accounts:password_reset_confirm": (f"/account/password/reset/MQ/{ANY}", "public"),
    "accounts:password_reset_complete": ("/account/password/reset/done", "public"),
    # Passkeys (django-otp-webauthn, JSON for its script): nothing without a signed-in session, and never
    # passwordless.
    "otp_webauthn:credential-registration-begin": ("/account/passkeys/registration/begin", 403),
    "otp_webauthn:credential-registration-complete": ("/account/passkeys/registration/complete", 403),
    "otp_webauthn:credential-authentication-begin": ("/account/passkeys/authentication/begin", 403),
    "otp_webauthn:credential-authentication-complete": ("/account/passkeys/authentication/complete", 403),
    "otp_webauthn:js-i18n-catalog": ("/account/passkeys/jsi18n", "public"),
    "incidents:report_start": ("/report/start", "public"),
    "incidents:report_resume": ("/report/resume", "public"),
    "incidents:report_check": ("/report/check", "public_flow"),
    "incidents:report_done": ("/report/done", "public_flow"),
    "incidents:report_expired": ("/report/expired", "public"),
    "incidents:report_question": ("/report/what-happened", "public_flow"),
    "incidents:report_done_easy_read": ("/report/done/easy-read", "public_flow"),
    "incidents:report_help_now": ("/report/help-now?after=safe-now", "public_flow"),
    "incidents:report_keep_alive": ("/report/keep-alive", 405),  # POST only
    "incidents:report_more_help_now": ("/report/more/help-now?after=impacts", "public_flow"),
    "incidents:report_more": ("/report/more/what-kind", "public_flow"),
    "core:exit": ("/exit", 302),  # Exit this page: ends the session, then a neutral site
    "core:cover_your_tracks": ("/cover-your-tracks", "public"),
    "core:easy_read": ("/easy-read", "public"),
    "incidents:record_start": ("/record/start", "sign_in_post"),
    "incidents:record_person": (f"/record/{ANY}/person", "sign_in"),
    "incidents:record_check": (f"/record/{ANY}/check", "sign_in"),
    "incidents:record_question": (f"/record/{ANY}/when", "sign_in"),
    "incidents:incident": (f"/incidents/{ANY}", "sign_in"),
    "incidents:triage": ("/triage", "sign_in"),
    "incidents:triage_item": (f"/triage/{ANY}", "sign_in"),
    "people:person": (f"/people/{ANY}", "sign_in"),
    "risk:thresholds": ("/risk/thresholds", "sign_in"),
    "cases:case": (f"/cases/{ANY}", "sign_in"),
    "cases:story": (f"/cases/{ANY}/story", "sign_in"),
    "cases:support": (f"/cases/{ANY}/support", "sign_in"),
    "cases:risk": (f"/cases/{ANY}/risk", "sign_in"),
    "cases:sharing": (f"/cases/{ANY}/sharing", "sign_in"),
    "cases:police": (f"/cases/{ANY}/police", "sign_in"),
    "cases:tasks": (f"/cases/{ANY}/tasks", "sign_in"),
    "cases:task_new": (f"/cases/{ANY}/tasks/new", "sign_in"),
    "cases:contact_new": (f"/cases/{ANY}/contacts/new", "sign_in"),
    "cases:handover": (f"/cases/{ANY}/handover", "sign_in"),
    "cases:wants": (f"/cases/{ANY}/wants", "sign_in"),
    "cases:close": (f"/cases/{ANY}/close", "sign_in"),
    "cases:plan": (f"/cases/{ANY}/safety-plan", "sign_in"),
    "cases:plan_pdf": (f"/cases/{ANY}/safety-plan/pdf", "sign_in"),
    "cases:messages": (f"/cases/{ANY}/messages", "sign_in"),
    "portal:sign_in": ("/my/sign-in", 400),  # no link, or a used or expired one: a page that says so
    "portal:signed_out": ("/my/signed-out", "public"),
    "portal:sign_out": ("/my/sign-out", 405),  # POST only
    # Getting back in without the key worker: anyone may ask for a link (the answer never says whether the
    # address is known), and the passkey sign-in endpoints are POST-only JSON for django-otp-webauthn's script.
    "portal:new_link": ("/my/new-link", "public"),
    "portal:new_link_sent": ("/my/new-link/sent", "public"),
    "portal:passkey_sign_in_begin": ("/my/passkey/sign-in/begin", 405),
    "portal:passkey_sign_in_complete": ("/my/passkey/sign-in/complete", 405),
    "portal:passkey_words": ("/my/passkey/words.js", "public"),
    "portal:passkeys": ("/my/passkeys", "portal_sign_in"),
    "portal:passkey_check": ("/my/passkey-check", "portal_sign_in"),
    "portal:home": ("/my", "portal_sign_in"),
    "portal:story": ("/my/what-has-happened", "portal_sign_in"),
    "portal:who_looked": ("/my/who-looked", "portal_sign_in"),
    "portal:consents": ("/my/agreed", "portal_sign_in"),
    "portal:agree": ("/my/agree", "portal_sign_in"),
    "portal:agree_who": ("/my/agree/share", "portal_sign_in"),
    "portal:messages": ("/my/messages", "portal_sign_in"),
    "portal:tell_us": ("/my/tell-us", "portal_sign_in"),
    "portal:plan": ("/my/safety-plan", "portal_sign_in"),
    "portal:referrals": ("/my/help-asked-for", "portal_sign_in"),
    "portal:harm_reports": ("/my/about-services", "portal_sign_in"),
    "api:portal-invitations": (f"/api/v1/people/{ANY}/portal-invitations", "api_401"),
    "api:portal-passkeys": (f"/api/v1/people/{ANY}/portal-passkeys", "api_401"),
    "api:my-case": ("/api/v1/my/case", "api_401"),
    "api:case-safety-plan": (f"/api/v1/cases/{ANY}/safety-plan", "api_401"),
    "api:case-safety-plan-pdf": (f"/api/v1/cases/{ANY}/safety-plan/pdf", "api_401"),
    "api:my-timeline": ("/api/v1/my/timeline", "api_401"),
    "api:my-referrals": ("/api/v1/my/referrals", "api_401"),
    "api:my-harm-reports": ("/api/v1/my/harm-reports", "api_401"),
    "api:my-access-log": ("/api/v1/my/access-log", "api_401"),
    "api:my-consents": ("/api/v1/my/consents", "api_401"),
    "api:my-safety-plan": ("/api/v1/my/safety-plan", "api_401"),
    "api:my-messages": ("/api/v1/my/messages", "api_401"),
    "api:my-updates": ("/api/v1/my/updates", "api_401"),
    "referrals:inbox": ("/referrals/incoming", "sign_in"),
    "police:create": (f"/cases/{ANY}/police-report", "sign_in"),
    "police:report": (f"/police-reports/{ANY}", "sign_in"),
    "police:pdf": (f"/police-reports/{ANY}/pdf", "sign_in"),
    "police:inbox": ("/police/inbox", "sign_in"),
    "referrals:referral": (f"/referrals/{ANY}", "sign_in"),
    "referrals:directory": ("/services", "sign_in"),
    "referrals:refer": (f"/cases/{ANY}/refer/{ANY}", "sign_in"),
    "referrals:signpost": (f"/cases/{ANY}/signpost/{ANY}", "sign_in_post"),
    "referrals:ask": (f"/cases/{ANY}/ask-for-information", "sign_in"),
    "cases:task_done": (f"/cases/{ANY}/tasks/{ANY}/done", "sign_in_post"),
    "referrals:withdraw": (f"/referrals/{ANY}/withdraw", "sign_in"),
    "referrals:complete": (f"/referrals/{ANY}/complete", "sign_in"),
    "police:right": (f"/police-reports/{ANY}/rights/4", "sign_in"),
    "police:update": (f"/police-reports/{ANY}/update", "sign_in"),
    "keywork:note_add": (f"/cases/{ANY}/notes/new", "sign_in"),
    "keywork:hand_to_hub": (f"/cases/{ANY}/hand-to-hub", "sign_in_post"),
    "keywork:search": ("/my-work/find", "sign_in"),
    "keywork:same_event": (f"/incidents/{ANY}/same-event", "sign_in"),
    "cases:handover_answer": (f"/handovers/{ANY}/answer", "sign_in_post"),
    "api:person-risk": (f"/api/v1/people/{ANY}/risk", "api_401"),
    "api:person-risk-judgement": (f"/api/v1/people/{ANY}/risk/judgement", "api_401"),
    "api:person-contacts": (f"/api/v1/people/{ANY}/contacts", "api_401"),
    "api:person-consents": (f"/api/v1/people/{ANY}/consents", "api_401"),
    "api:person-access-log": (f"/api/v1/people/{ANY}/access-log", "api_401"),
    "api:consents": ("/api/v1/consents", "api_401"),
    "api:consent-withdraw": (f"/api/v1/consents/{ANY}/withdraw", "api_401"),
    "api:sharing-decisions": ("/api/v1/sharing-decisions", "api_401"),
    "people:consent": (f"/people/{ANY}/consent", "sign_in"),
    "people:consent_withdraw": (f"/people/{ANY}/consent/{ANY}/withdraw", "sign_in_post"),
    "people:sharing": (f"/people/{ANY}/sharing-decision", "sign_in"),
    "people:access_log": (f"/people/{ANY}/access-log", "sign_in"),
    "api:cases": ("/api/v1/cases", "api_401"),
    "api:case": (f"/api/v1/cases/{ANY}", "api_401"),
    "api:case-timeline": (f"/api/v1/cases/{ANY}/timeline", "api_401"),
    "api:case-handover": (f"/api/v1/cases/{ANY}/handover", "api_401"),
    "api:case-tasks": (f"/api/v1/cases/{ANY}/tasks", "api_401"),
    "api:case-close": (f"/api/v1/cases/{ANY}/close", "api_401"),
    "api:handover-accept": (f"/api/v1/handovers/{ANY}/accept", "api_401"),
    "api:handover-decline": (f"/api/v1/handovers/{ANY}/decline", "api_401"),
    "api:task-complete": (f"/api/v1/tasks/{ANY}/complete", "api_401"),
    "api:services": ("/api/v1/services", "api_401"),
    "api:service": (f"/api/v1/services/{ANY}", "api_401"),
    "api:openreferral-services": ("/api/v1/openreferral/services", "api_401"),
    "api:case-suggestions": (f"/api/v1/cases/{ANY}/suggestions", "api_401"),
    "api:referrals": ("/api/v1/referrals", "api_401"),
    "api:referral": (f"/api/v1/referrals/{ANY}", "api_401"),
    "api:referral-accept": (f"/api/v1/referrals/{ANY}/accept", "api_401"),
    "api:referral-decline": (f"/api/v1/referrals/{ANY}/decline", "api_401"),
    "api:referral-withdraw": (f"/api/v1/referrals/{ANY}/withdraw", "api_401"),
    "api:referral-complete": (f"/api/v1/referrals/{ANY}/complete", "api_401"),
    "api:referral-answer": (f"/api/v1/referrals/{ANY}/answer", "api_401"),
    "api:person-information-requests": (f"/api/v1/people/{ANY}/information-requests", "api_401"),
    "api:case-police-reports": (f"/api/v1/cases/{ANY}/police-reports", "api_401"),
    "api:police-report": (f"/api/v1/police-reports/{ANY}", "api_401"),
    "api:police-report-pdf": (f"/api/v1/police-reports/{ANY}/pdf", "api_401"),
    "api:police-report-crime-reference": (f"/api/v1/police-reports/{ANY}/crime-reference", "api_401"),
    "api:police-report-non-crime": (f"/api/v1/police-reports/{ANY}/non-crime", "api_401"),
    "api:police-report-outcome": (f"/api/v1/police-reports/{ANY}/outcome", "api_401"),
    "api:police-report-evidence": (f"/api/v1/police-reports/{ANY}/evidence", "api_401"),
    "api:person-victims-code": (f"/api/v1/people/{ANY}/victims-code", "api_401"),
    "api:me": ("/api/v1/me", "api_401"),
    "api:agency-list": ("/api/v1/agencies", "api_401"),
    "api:user-list": ("/api/v1/users", "api_401"),
    "api:people": ("/api/v1/people", "api_401"),
    "api:person": (f"/api/v1/people/{ANY}", "api_401"),
    "api:incidents": ("/api/v1/incidents", "api_401"),
    "api:incident": (f"/api/v1/incidents/{ANY}", "api_401"),
    "insights:index": ("/insights", "sign_in"),
    "insights:dashboard": ("/insights/overview", "sign_in"),
    "insights:download": ("/insights/overview/download.csv", "sign_in"),
    "insights:assessment": ("/insights/needs-assessment/2026", "sign_in"),
    "insights:assessment_pdf": ("/insights/needs-assessment/2026/pdf", "sign_in"),
    "insights:assessment_section": ("/insights/needs-assessment/2026/need", "sign_in"),
    "api:insights-dashboard": ("/api/v1/insights/overview", "api_401"),
    "linkage:status": ("/linkage", "sign_in"),
    "linkage:reviews": ("/linkage/reviews", "sign_in"),
    "linkage:review": (f"/linkage/reviews/{ANY}", "sign_in"),
    "api:person-links": (f"/api/v1/people/{ANY}/links", "api_401"),
    "api:linkage-reviews": ("/api/v1/linkage/reviews", "api_401"),
    "api:linkage-review-confirm": (f"/api/v1/linkage/reviews/{ANY}/confirm", "api_401"),
    "api:linkage-review-reject": (f"/api/v1/linkage/reviews/{ANY}/reject", "api_401"),
    "api:linkage-status": ("/api/v1/linkage/status", "api_401"),
    "panels:refer": (f"/cases/{ANY}/panel-referral", "sign_in"),
    "panels:panels": ("/panels", "sign_in"),
    "panels:new": ("/panels/new", "sign_in"),
    "panels:setup": (f"/panels/{ANY}/setup", "sign_in"),
    "panels:close": (f"/panel-referrals/{ANY}/close", "sign_in"),
    "panels:voice": (f"/panel-referrals/{ANY}/voice", "sign_in"),
    "panels:panel": (f"/panels/{ANY}", "sign_in"),
    "panels:measures": (f"/panels/{ANY}/measures", "sign_in"),
    "panels:meeting": (f"/meetings/{ANY}", "sign_in"),
    "panels:papers": (f"/meetings/{ANY}/papers.pdf", "sign_in"),
    "panels:actions": ("/panel-actions", "sign_in"),
    "panels:action_complete": (f"/panel-actions/{ANY}/complete", "sign_in"),
    "panels:review": (f"/panel-referrals/{ANY}/review", "sign_in"),
    "api:panels": ("/api/v1/panels", "api_401"),
    "api:panel": (f"/api/v1/panels/{ANY}", "api_401"),
    "api:panel-referral": (f"/api/v1/panel-referrals/{ANY}", "api_401"),
    "api:panel-referral-close": (f"/api/v1/panel-referrals/{ANY}/close", "api_401"),
    "api:panel-referral-voice": (f"/api/v1/panel-referrals/{ANY}/voice", "api_401"),
    "api:panel-meetings": (f"/api/v1/panels/{ANY}/meetings", "api_401"),
    "api:panel-referrals": ("/api/v1/panel-referrals", "api_401"),
    "api:panel-referral-actions": (f"/api/v1/panel-referrals/{ANY}/actions", "api_401"),
    "api:meeting": (f"/api/v1/meetings/{ANY}", "api_401"),
    "api:meeting-agenda": (f"/api/v1/meetings/{ANY}/agenda", "api_401"),
    "api:meeting-research": (f"/api/v1/meetings/{ANY}/research", "api_401"),
    "api:meeting-minutes": (f"/api/v1/meetings/{ANY}/minutes", "api_401"),
    "api:action-complete": (f"/api/v1/actions/{ANY}/complete", "api_401"),
    # The contract itself is public: partners script against it, and it holds no personal data.
    "api:schema": ("/api/v1/schema", "public"),
    "api:docs": ("/api/v1/docs", "public"),
    "harm:tell": ("/tell-us-a-service-harmed-you", "public"),
    "harm:speak_up": ("/raise-a-concern-about-a-service", "public"),
    # The anonymous reporter's way back: choosing a passphrase needs a report just sent from this browser;
    # reading and answering need the passphrase first (back to the check page otherwise).
    "followup:keep": ("/keep-a-way-back", "public_flow"),
    "followup:kept": ("/keep-a-way-back/kept", "public_flow"),
    "followup:check": ("/check-for-a-reply", "public"),
    "followup:messages": ("/check-for-a-reply/messages", 302),
    "followup:named": ("/check-for-a-reply/give-your-name", 302),
    # No account, no token: the reference and the passphrase in each POST body are the key (GET is not allowed).
    "api:public-follow-up": ("/api/v1/public/follow-up", 405),
    "api:public-follow-up-messages": ("/api/v1/public/follow-up/messages", 405),
    "api:public-follow-up-named": ("/api/v1/public/follow-up/named", 405),
    "harm:sent": ("/tell-us-a-service-harmed-you/sent", "public_flow"),
    "harm:inbox": ("/harm/reports", "sign_in"),
    "harm:report": (f"/harm/reports/{ANY}", "sign_in"),
    "harm:measures": ("/harm/measures", "sign_in"),
    "api:harm-reports": ("/api/v1/harm-reports", "api_401"),
    "api:harm-report": (f"/api/v1/harm-reports/{ANY}", "api_401"),
    "api:harm-transition": (f"/api/v1/harm-reports/{ANY}/transition", "api_401"),
    "api:harm-messages": (f"/api/v1/harm-reports/{ANY}/messages", "api_401"),
    "api:harm-measures": ("/api/v1/harm-measures", "api_401"),
}


def _route_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _route_names(entry, namespace)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL {entry.pattern} has no name: name it and add it to the matrix")
            names.add(prefix + entry.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    names = _route_names()
    assert names - set(MATRIX) == set(), "add these URLs to the authorisation matrix"
    assert set(MATRIX) - names == set(), "remove URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "expected"), [(n, *v) for n, v in MATRIX.items()], ids=list(MATRIX))
def test_anonymous_visitors(name: str, path: str, expected: str | int) -> None:
    client = Client()
    if expected == "sign_in_post":
        response = client.post(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in")
        return
    response = client.get(path)
    if expected == "public":
        assert response.status_code == 200
    elif expected == "sign_in":
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in")
    elif expected == "portal_sign_in":
        # A person's own pages never send them to the practitioners' sign-in: they say how to get a new link.
        assert response.status_code == 302 and response["Location"].startswith("/my/signed-out")
    elif expected == "public_flow":
        assert response.status_code == 302
        assert response["Location"] in {"/", "/report/expired"}
    elif expected == "api_401":
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
    else:
        assert response.status_code == expected
