from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from joinedup.accounts.models import Agency
from joinedup.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize("path", ["/", "/accessibility", "/privacy", "/cookies", "/account/sign-in"])
def test_public_pages_render_with_our_identity(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-generic-header" in html and "JoinedUp" in html
    assert "govuk-crest" not in html and "crown" not in html.lower()
    assert 'href="#main-content"' in html  # skip link
    assert "govuk-phase-banner" in html


def test_start_page_speaks_plainly() -> None:
    html = Client().get("/").content.decode()
    assert "Tell us what happened" in html
    assert "hate crime" not in html.lower(), "people rarely use the words; the front door should not either"
    assert "999" in html


def test_my_work_needs_sign_in() -> None:
    response = Client().get("/my-work")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in")


def test_my_work_tells_a_commissioner_why_no_records_show(lead_agency: Agency) -> None:
    client = Client()
    client.force_login(make_user(lead_agency, "commissioner"))
    html = client.get("/my-work").content.decode()
    assert "People&#39;s records are not shown to you" in html


def test_pages_carry_a_csp_with_a_nonce() -> None:
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_unknown_pages_are_a_govuk_404() -> None:
    response = Client().get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_health_check() -> None:
    assert Client().get("/healthz").json() == {"status": "ok"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unwanted = {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.production"
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret() -> None:
    result = _manage("check", ALLOWED_HOSTS="joinedup.example")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _manage("check", DJANGO_SECRET_KEY="x" * 30 + "abcdefghijklmnopqrstuvwxyz")
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_deploy_checks_are_clean_under_production_settings() -> None:
    import secrets

    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="joinedup.example",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_demo_data_refuses_production() -> None:
    import secrets

    result = _manage(
        "demo_data",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="joinedup.example",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode != 0 and "JOINEDUP_ALLOW_DEMO_DATA" in result.stderr


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("Sentencing Act 2020 s66 [S4]", "Sentencing Act 2020 s66"),
        ("Possible offence and police not aware [S1][S33]", "Possible offence and police not aware"),
        ("Threats to the home [domain.md §5]", "Threats to the home"),
        (
            "Mind and Victim Support, At risk, yet dismissed [S50]; seed 003",
            "Mind and Victim Support, At risk, yet dismissed",
        ),
    ],
)
def test_rule_sources_are_shown_by_name_without_research_tags(source: str, shown: str) -> None:
    from joinedup.config.jinja2 import plain_source

    assert plain_source(source) == shown


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0 reports"), (1, "1 report"), (2, "2 reports"), (1200, "1,200 reports")]
)
def test_counts_have_the_right_plural(count: int, shown: str) -> None:
    from joinedup.config.jinja2 import plural

    assert plural(count, "report") == shown
    assert plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"
