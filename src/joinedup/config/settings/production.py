"""Production: every secret and host comes from the environment; nothing falls back to a default."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, require_secret_key

SECRET_KEY = require_secret_key(SECRET_KEY)
if not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names this service answers to.")

# Every practitioner proves it is them with a second factor (an authenticator app or a passkey).
JOINEDUP_REQUIRE_SECOND_FACTOR = True
