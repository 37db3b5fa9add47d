"""Production: every secret and host comes from the environment; nothing falls back to a default."""

import os

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, require_secret_key

SECRET_KEY = require_secret_key(SECRET_KEY)
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this service answers to.")

# Every practitioner proves it is them with a second factor (an authenticator app or a passkey).
JOINEDUP_REQUIRE_SECOND_FACTOR = True

# Logs as JSON lines on standard output (docs/deploy.md): one object per line, with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "joinedup.core.logging.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
