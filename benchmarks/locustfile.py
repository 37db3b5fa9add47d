"""What `benchmarks/load.py` runs under locust against gunicorn. It reads the prepared sign-ins and paths from
the JSON file named by BENCH_LOAD_CONFIG; see benchmarks/README.md. Every request must succeed (200/201):
anything else is a failure in the report."""

from __future__ import annotations

import json
import os
import random
from typing import Any

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

CONFIG: dict[str, Any] = json.loads(open(os.environ["BENCH_LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
# gunicorn listens on plain HTTP on loopback; production settings see the request as arriving through a TLS proxy.
PROXY = {"X-Forwarded-Proto": "https"}
PAGE = {**PROXY, "Cookie": f"sessionid={CONFIG['session']}"}
API = {**PROXY, "Authorization": f"Bearer {CONFIG['token']}"}
INCIDENT = {
    "description": "He shouted that I'm a psycho and said he'd burn my flat.",
    "kinds": ["verbal_abuse", "threats"],
    "perceived_hostility": {"strands": ["disability"], "perceived_by": ["victim"]},
    "perpetrators": [{"relationship": "neighbour"}],
    "happened_before": "yes",
    "care_and_support": {"has_needs": "yes", "unable_to_protect_self": "yes"},
    "occurred_between": ["2026-10-01", "2026-10-20"],
}


def _get(user: FastHttpUser, path: str, headers: dict[str, str], name: str) -> None:
    """A page must answer itself: a redirect (to sign in, or to the second factor) is a failure, not followed, so
    the figures are never another page's."""
    with user.client.get(path, headers=headers, name=name, allow_redirects=False, catch_response=True) as r:
        if r.status_code != 200:
            r.failure(f"answered {r.status_code} {r.headers.get('Location', '')}")


class Requests:
    """The scenarios, each named as the report names it."""

    @staticmethod
    def bare(user: FastHttpUser) -> None:
        _get(user, "/bench/bare", PROXY, "bare")

    @staticmethod
    def case_page(user: FastHttpUser) -> None:
        _get(user, f"/cases/{CONFIG['case']}", PAGE, "case_page")

    @staticmethod
    def my_work(user: FastHttpUser) -> None:
        _get(user, "/my-work", PAGE, "my_work")

    @staticmethod
    def search(user: FastHttpUser) -> None:
        _get(user, f"/api/v1/people?q={random.choice(CONFIG['searches'])}", API, "search")

    @staticmethod
    def intake(user: FastHttpUser) -> None:
        body = {**INCIDENT, "person_id": random.choice(CONFIG["people"])}
        with user.client.post("/api/v1/incidents", json=body, headers=API, name="intake", catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"answered {r.status_code}")


# Saturation: each scenario alone, no think time, enough users to keep every worker busy.
class Bare(FastHttpUser):
    wait_time = constant(0)

    @task
    def go(self) -> None:
        Requests.bare(self)


class CasePage(FastHttpUser):
    wait_time = constant(0)

    @task
    def go(self) -> None:
        Requests.case_page(self)


class MyWork(FastHttpUser):
    wait_time = constant(0)

    @task
    def go(self) -> None:
        Requests.my_work(self)


class Search(FastHttpUser):
    wait_time = constant(0)

    @task
    def go(self) -> None:
        Requests.search(self)


class Intake(FastHttpUser):
    wait_time = constant(0)

    @task
    def go(self) -> None:
        Requests.intake(self)


# People working: 0.5–2 s between requests. The baseline run asks only for the bare view; the working run mixes
# what practitioners do most (My work and the case page), searching and recording.
class ThinkBare(FastHttpUser):
    wait_time = between(0.5, 2)

    @task
    def go(self) -> None:
        Requests.bare(self)


class ThinkWorking(FastHttpUser):
    wait_time = between(0.5, 2)

    @task(4)
    def case_page(self) -> None:
        Requests.case_page(self)

    @task(3)
    def my_work(self) -> None:
        Requests.my_work(self)

    @task(2)
    def search(self) -> None:
        Requests.search(self)

    @task(1)
    def intake(self) -> None:
        Requests.intake(self)
