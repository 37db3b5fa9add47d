"""Nothing only in the API: every action a practitioner can take through the API can be taken in pages too.

The API's actions are read from its OpenAPI schema (every POST, PUT, PATCH and DELETE operation). Each must be
mapped here to the page (route name) where a practitioner does the same thing — or be in the allow-list below,
with the reason it has no page. A new API action with neither fails this test: build its page first.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator

WRITE_METHODS = {"post", "put", "patch", "delete"}

# operationId → the page route names where the same action is done.
PAGES: dict[str, tuple[str, ...]] = {
    "incidents_create": ("incidents:record_start", "incidents:record_check", "incidents:report_check"),
    "people_create": ("incidents:record_person", "incidents:triage_item"),
    "people_contacts_create": ("cases:contact_new",),
    "people_risk_judgement_create": ("people:person",),  # "Record a professional judgement"
    "consents_create": ("people:consent",),
    "consents_withdraw_create": ("people:consent_withdraw",),
    "sharing_decisions_create": ("people:sharing",),
    "cases_tasks_create": ("cases:task_new",),
    "tasks_complete_create": ("cases:task_done",),
    "cases_handover_create": ("cases:handover", "keywork:hand_to_hub"),
    "handovers_accept_create": ("cases:handover_answer",),
    "handovers_decline_create": ("cases:handover_answer",),
    "cases_close_create": ("cases:close",),
    "referrals_create": ("referrals:refer",),
    "referrals_accept_create": ("referrals:referral",),
    "referrals_decline_create": ("referrals:referral",),
    "referrals_withdraw_create": ("referrals:withdraw",),
    "referrals_complete_create": ("referrals:complete",),
    # A request for information (linkage: known to other agencies): asked from the case, answered on its page.
    "people_information_requests_create": ("referrals:ask",),
    "referrals_answer_create": ("referrals:referral",),
    "cases_police_reports_create": ("police:create",),
    "police_reports_crime_reference_create": ("police:report",),
    "police_reports_non_crime_create": ("police:report",),
    "police_reports_outcome_create": ("police:report",),
    "police_reports_evidence_create": ("police:right", "police:update"),
    "cases_safety_plan_update": ("cases:plan",),
    "people_portal_invitations_create": ("cases:messages",),  # "Invite them to My support"
    "people_portal_passkeys_destroy": ("cases:messages",),  # "Remove their passkeys and let a link alone sign …"
    # The person's own actions in their own place (My support), as pages there.
    "my_safety_plan_update": ("portal:plan",),
    "my_messages_create": ("portal:messages",),
    "my_consents_create": ("portal:agree", "portal:agree_who"),
    "my_updates_create": ("portal:tell_us",),
    # The multi-agency risk conference: the referral from the case, the meeting page, an action's own page.
    "panel_referrals_create": ("panels:refer",),
    # Setting up and changing a panel, and its meeting dates: the lead partner's administrators' pages.
    "panels_create": ("panels:new",),
    "panels_update": ("panels:setup",),
    "panels_meetings_create": ("panels:panel", "panels:setup"),
    "panel_referrals_close_create": ("panels:close",),
    "panel_referrals_voice_create": ("panels:voice",),
    "meetings_agenda_create": ("panels:meeting",),
    "meetings_research_create": ("panels:meeting",),
    "meetings_minutes_create": ("panels:meeting",),
    "panel_referrals_actions_create": ("panels:meeting",),
    "actions_complete_create": ("panels:action_complete",),
    # Harm reports: raised on the public page (and by staff there too), answered on the report's page.
    "harm_reports_create": ("harm:tell",),
    "harm_reports_transition_create": ("harm:report",),
    "harm_reports_messages_create": ("harm:report",),  # "Ask them a question"
    # The anonymous reporter's way back (no account): read, answer and come forward on the public pages.
    "public_follow_up_create": ("followup:check", "followup:messages"),
    "public_follow_up_messages_create": ("followup:messages",),
    "public_follow_up_named_create": ("followup:named",),
    # Linkage: a possible match is confirmed or rejected on its review page.
    "linkage_reviews_confirm_create": ("linkage:review",),
    "linkage_reviews_reject_create": ("linkage:review",),
}

# Operations with no page on purpose. Each needs a reason a reviewer would accept.
NO_PAGE: dict[str, str] = {
    "tokens_create": "API tokens are issued by operators (manage.py issue_token), never by practitioners",
    "tokens_revoke_create": "API tokens are revoked by operators (manage.py revoke_token)",
    "token_revoke_create": "API tokens are revoked by operators (manage.py revoke_token)",
}


def _route_names() -> set[str]:
    from django.urls import URLPattern, URLResolver

    def walk(resolver: URLResolver, prefix: str) -> set[str]:
        names: set[str] = set()
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                names |= walk(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(prefix + entry.name)
        return names

    return walk(get_resolver(), "")


def _api_actions() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        operation["operationId"]
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method in WRITE_METHODS
    }


@pytest.mark.django_db
def test_every_api_action_has_a_page() -> None:
    missing = sorted(_api_actions() - set(PAGES) - set(NO_PAGE))
    assert missing == [], f"these API actions have no page (map them in PAGES, or give a reason in NO_PAGE): {missing}"


def test_every_mapped_page_exists() -> None:
    routes = _route_names()
    absent = {op: [r for r in names if r not in routes] for op, names in PAGES.items()}
    absent = {op: names for op, names in absent.items() if names}
    assert absent == {}, f"mapped pages that do not exist: {absent}"


def test_the_allow_list_is_reasoned_and_not_also_mapped() -> None:
    assert all(len(reason) > 20 for reason in NO_PAGE.values())
    assert set(NO_PAGE).isdisjoint(PAGES)
