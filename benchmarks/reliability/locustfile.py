"""Load for `make reliability` (benchmarks/reliability/run.py): a practitioner's API mix, one token per agency,
and the bare /healthz (no database, no session) as the same-run baseline the p95 is divided by.

Kept apart from benchmarks/ (the performance suite) on purpose: this file measures errors under load."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

TOKENS: list[str] = json.loads(os.environ.get("JU_TOKENS", "[]"))
SEARCHES = ["smith", "jones 1980", "EM1 1AA", "bob", "patel", "williams 12/03/1975", "ann"]


class Practitioner(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {random.choice(TOKENS)}"

    @task(4)
    def bare(self) -> None:
        self.client.get("/healthz", name="bare /healthz")

    @task(3)
    def me(self) -> None:
        self.client.get("/api/v1/me", name="GET /api/v1/me")

    @task(3)
    def cases(self) -> None:
        self.client.get("/api/v1/cases", name="GET /api/v1/cases")

    @task(2)
    def referrals(self) -> None:
        self.client.get("/api/v1/referrals?direction=incoming", name="GET /api/v1/referrals")

    @task(2)
    def services(self) -> None:
        self.client.get("/api/v1/services?need=advocacy", name="GET /api/v1/services")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/api/v1/people?q={random.choice(SEARCHES)}", name="GET /api/v1/people?q=")

    @task(1)
    def record_person(self) -> None:
        self.client.post(
            "/api/v1/people",
            json={"given_name": "Load", "family_name": f"Test{random.randint(1, 10**9)}"},
            name="POST /api/v1/people",
        )
