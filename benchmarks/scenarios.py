"""The scenarios `make bench` times. Each `prepare` returns the call to time, set up once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import cycle

from django.db.models import Count
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from joinedup.accounts.models import User
from joinedup.accounts.services import token_issue
from joinedup.cases.models import Case
from joinedup.people.models import Person
from joinedup.risk.services import _evaluate

DEMO_USER = "amara.osei@asc.eastmere.example"


BENCHMARK_DEVICE = "benchmark (removed after the run)"


def second_factor_for_benchmark(user: User) -> StaticDevice:
    """A confirmed second-factor device for the demo user, for the benchmark's sessions to have passed the second
    factor as a real sign-in does (production requires one: without it every page answered a redirect to set one
    up, which is what the load run measured until issue 20). It holds no codes, so nobody can sign in with it,
    and it does not count as the account's second factor at sign-in (accounts.second_factor); `forget_benchmark_
    second_factor` removes it after the run. The middleware then reads it on every request, as it reads a real
    one: its cost is in the figures."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BENCHMARK_DEVICE, defaults={"confirmed": True})
    return device


def forget_benchmark_second_factor() -> None:
    StaticDevice.objects.filter(name=BENCHMARK_DEVICE).delete()


@dataclass
class Context:
    client: Client
    api_headers: dict[str, str]
    user: User

    @classmethod
    def build(cls, client: Client) -> Context:
        user = User.objects.get(email=DEMO_USER)
        _, raw = token_issue(actor=None, user=user, name="benchmark")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = second_factor_for_benchmark(user).persistent_id
        session.save()
        return cls(client=client, api_headers={"HTTP_AUTHORIZATION": f"Bearer {raw}"}, user=user)

    def get_ok(self, path: str, **headers: str) -> None:
        response = self.client.get(path, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    prepare: Callable[[Context], Callable[[], None]]


def _get(path: str, api: bool = False) -> Callable[[Context], Callable[[], None]]:
    def prepare(context: Context) -> Callable[[], None]:
        headers = context.api_headers if api else {}
        return lambda: context.get_ok(path, **headers)

    return prepare


def _people_for(context: Context, n: int = 200) -> list[Person]:
    return list(Person.objects.visible_to(context.user).filter(family_key__gt="").order_by("?")[:n])


def _search(context: Context) -> Callable[[], None]:
    """A partner system looking someone up before recording: fuzzy name + date of birth."""
    people = cycle(_people_for(context))

    def call() -> None:
        person = next(people)
        dob = person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else ""
        context.get_ok(f"/api/v1/people?q={person.given_name}+{person.family_name}+{dob}", **context.api_headers)

    return call


def _record(context: Context) -> Callable[[], None]:
    """Recording an incident for a known person: validation, classification, the case joined, the timeline
    and audit written, all in one transaction."""
    people = cycle(_people_for(context))
    body = {
        "description": "He shouted that I'm a psycho and said he'd burn my flat.",
        "kinds": ["verbal_abuse", "threats"],
        "perceived_hostility": {"strands": ["disability"], "perceived_by": ["victim"]},
        "perpetrators": [{"relationship": "neighbour"}],
        "happened_before": "yes",
        "care_and_support": {"has_needs": "yes", "unable_to_protect_self": "yes"},
        "occurred_between": ["2026-10-01", "2026-10-20"],
    }

    def call() -> None:
        payload = {**body, "person_id": str(next(people).uuid)}
        response = context.client.post(
            "/api/v1/incidents", payload, content_type="application/json", **context.api_headers
        )
        if response.status_code != 201:
            raise RuntimeError(f"record answered {response.status_code}: {response.content[:300]!r}")

    return call


def _longest_case(context: Context) -> str:
    """The open case with the longest story among those the demo user holds."""

    case = (
        Case.objects.filter(key_worker=context.user, status="open").annotate(n=Count("timeline")).order_by("-n").first()
    )
    if case is None:
        raise RuntimeError("The demo user holds no open case: load the demo population first")
    return str(case.uuid)


def case_page_path(context: Context) -> str:
    return f"/cases/{_longest_case(context)}"


def _case_page(context: Context) -> Callable[[], None]:
    path = case_page_path(context)
    return lambda: context.get_ok(path)


def _case_timeline(context: Context) -> Callable[[], None]:
    path = f"/api/v1/cases/{_longest_case(context)}/timeline"
    return lambda: context.get_ok(path, **context.api_headers)


def _risk_longest(context: Context) -> Callable[[], None]:
    """Evaluating risk from the longest history the demo user holds (two queries and the pure rules)."""

    case = Case.objects.get(uuid=_longest_case(context))
    return lambda: _evaluate(case.person, judgement=None) and None


SCENARIOS: list[Scenario] = [
    Scenario("api_me", "GET /api/v1/me (bearer token)", _get("/api/v1/me", api=True)),
    Scenario(
        "api_users_page",
        "GET /api/v1/users?page_size=50 (audited list)",
        _get("/api/v1/users?page_size=50", api=True),
    ),
    Scenario("page_my_work", "GET /my-work (signed-in page)", _get("/my-work")),
    Scenario("page_start", "GET / (public start page)", _get("/")),
    Scenario("api_people_search", "GET /api/v1/people?q=name+dob (fuzzy match, audited results)", _search),
    Scenario("api_incident_create", "POST /api/v1/incidents (classify, join case, timeline, audit)", _record),
    Scenario("page_case", "GET /cases/<id> (the longest story the user holds)", _case_page),
    Scenario("api_case_timeline", "GET /api/v1/cases/<id>/timeline (longest story)", _case_timeline),
    Scenario("risk_evaluate_longest", "risk rules over the longest history (no HTTP)", _risk_longest),
]
