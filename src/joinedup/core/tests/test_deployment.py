"""Issue 19: the documented deployment works. Static files collect with manifest storage (no reference to a
missing image such as the GOV.UK crest), `gunicorn joinedup.config.wsgi` imports from the repository root, and
production logs are JSON lines. (.ci/deploy-check boots the whole thing; these are the fast parts.)"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from joinedup.core import request_context
from joinedup.core.logging import JsonLinesFormatter

ROOT = Path(settings.BASE_DIR)


def test_collectstatic_with_manifest_storage(tmp_path: Path) -> None:
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--no-input", stdout=StringIO())
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "css/application.css" in manifest
    assert "crest" not in (tmp_path / "css" / "application.css").read_text()


def test_gunicorn_serves_the_documented_module_from_the_repository_root() -> None:
    """`gunicorn joinedup.config.wsgi`, exactly as docs/deploy.md writes it, answers /healthz (no database)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "joinedup.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "PYTHONPATH": "",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(gunicorn), "joinedup.config.wsgi"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        answer = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    answer = json.loads(response.read())
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.25)
        assert answer == {"status": "ok"}, server.stdout.read().decode()[-2000:] if server.poll() is not None else ""
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_json_lines_logs_carry_the_request_id() -> None:
    formatter = JsonLinesFormatter()
    record = logging.LogRecord("joinedup.test", logging.ERROR, __file__, 1, "Referral %s overdue", ("r-1",), None)
    record.path = "/api/v1/referrals"
    with request_context.bound(request_context.RequestMeta(request_id="abc123")):
        line = json.loads(formatter.format(record))
    assert line["message"] == "Referral r-1 overdue" and line["level"] == "ERROR"
    assert line["request_id"] == "abc123" and line["path"] == "/api/v1/referrals"
