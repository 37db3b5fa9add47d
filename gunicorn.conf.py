"""gunicorn's settings. gunicorn reads ./gunicorn.conf.py by itself, so from the repository root the documented
`gunicorn joinedup.config.wsgi` works: the code lives in src/, which is put on the import path here.
Command-line options override these; see docs/deploy.md."""

import os
from pathlib import Path

pythonpath = str(Path(__file__).resolve().parent / "src")
wsgi_app = "joinedup.config.wsgi"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Requests slower than this are cut off (and logged) rather than holding a worker indefinitely.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# The TLS proxy in front sets X-Forwarded-For/-Proto; trust it only from these addresses (docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Restart workers now and then, so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200

# Logs as JSON lines, like the application's (joinedup.core.logging); the access line has no query string,
# since a search can hold a name.
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s bytes %(M)sms request_id=%({x-request-id}o)s"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "joinedup.core.logging.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
