"""The benchmarks' bare baseline, and sessions renewed without a write on every request (issue 20)."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from joinedup.accounts.models import Agency, User
from joinedup.config.jinja2 import url
from joinedup.core.middleware import REFRESHED_AT

pytestmark = pytest.mark.django_db


def test_the_bare_baseline_does_not_exist_unless_switched_on() -> None:
    assert Client().get("/bench/bare").status_code == 404


@override_settings(JOINEDUP_BENCH_ENDPOINT=True)
def test_the_bare_baseline_is_one_select_and_no_session() -> None:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/bench/bare")
    assert response.status_code == 200
    assert [q["sql"] for q in captured] == ["SELECT 1"]
    assert "sessionid" not in response.cookies


@pytest.fixture
def signed_in(nurse: User, gp: Agency) -> Client:
    client = Client()
    client.force_login(nurse)
    return client


def test_a_signed_in_session_is_renewed_once_then_left_alone(signed_in: Client) -> None:
    first = signed_in.get("/my-work")
    assert first.status_code == 200 and "sessionid" in first.cookies  # renewed: the idle window starts again
    again = signed_in.get("/my-work")
    assert again.status_code == 200 and "sessionid" not in again.cookies  # nothing written


@override_settings(SESSION_COOKIE_AGE=1800, SESSION_REFRESH_FRACTION=0.1)
def test_a_session_older_than_the_fraction_is_renewed(signed_in: Client) -> None:
    signed_in.get("/my-work")
    session = signed_in.session
    session[REFRESHED_AT] = int(time.time()) - 181  # more than a tenth of 30 minutes ago
    session.save()
    renewed = signed_in.get("/my-work")
    assert "sessionid" in renewed.cookies
    assert renewed.cookies["sessionid"]["max-age"] == 1800
    assert signed_in.session[REFRESHED_AT] >= int(time.time()) - 5


def test_visitors_without_a_session_get_none() -> None:
    response = Client().get("/")
    assert response.status_code == 200 and "sessionid" not in response.cookies


def test_an_unknown_session_cookie_is_not_revived() -> None:
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/")
    assert "sessionid" not in response.cookies or response.cookies["sessionid"].value == ""


redis_only = pytest.mark.skipif(not settings.REDIS_URL, reason="only where REDIS_URL configures Redis (as in CI)")


@redis_only
def test_lock_out_is_shared_state_with_redis(gp: Agency) -> None:
    """With Redis as the cache, lock-out counts still live in the database (django-axes' database handler): the
    per-address and per-account sign-in throttles count those rows, and every worker sees them."""
    from axes.models import AccessAttempt
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from joinedup.accounts.tests.factories import TEST_PASSWORD, make_user

    assert isinstance(caches["default"], RedisCache)
    make_user(gp, email="nurse@gp.example")
    for _ in range(5):
        Client().post("/account/sign-in", {"email": "nurse@gp.example", "password": "wrong"})
    assert AccessAttempt.objects.filter(failures_since_start=5).exists()  # in the database every worker reads
    locked = Client().post("/account/sign-in", {"email": "nurse@gp.example", "password": TEST_PASSWORD})
    assert locked.status_code == 429


def test_templates_url_gives_what_reverse_gives_for_every_record() -> None:
    """Template `url()` reverses a name once per shape and puts each record's id in: the same answers as
    Django's reverse, for ids, several ids, plain arguments and a script prefix."""
    first, second = uuid.uuid4(), uuid.uuid4()
    assert url("cases:case", first) == reverse("cases:case", args=[first])
    assert url("cases:story", second) == reverse("cases:story", args=[second])
    assert url("cases:task_done", first, second) == reverse("cases:task_done", args=[first, second])
    assert url("core:start") == reverse("core:start")
    assert url("cases:case", case_id=first) == reverse("cases:case", kwargs={"case_id": first})
    set_script_prefix("/joinedup/")
    try:
        assert url("cases:case", first) == f"/joinedup/cases/{first}"
    finally:
        set_script_prefix("/")
    assert url("cases:case", first) == f"/cases/{first}"


def test_one_masked_csrf_token_per_page_whatever_its_forms(signed_in: Client) -> None:
    """Every form on a page carries the same masked token (masking it per form cost a page of forms dearly), and
    it is a token the next POST is accepted with."""
    signed_in.get("/my-work")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = signed_in.cookies
    page = csrf_client.get("/my-work").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2 and len(set(tokens)) == 1  # its sign-out form and "Record what happened"
    response = csrf_client.post("/account/sign-out", {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code in {200, 302}
