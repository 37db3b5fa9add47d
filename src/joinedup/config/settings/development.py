"""Development (`make run`): DEBUG on, local hosts, plain HTTP, a per-checkout secret kept out of git."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env_bool

DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# A random secret made once per checkout and kept in a git-ignored file, so sign-ins survive restarts.
_secret_file = BASE_DIR / ".dev-secret-key"
if not _secret_file.exists():
    _secret_file.write_text(secrets.token_urlsafe(50))
    _secret_file.chmod(0o600)
SECRET_KEY = _secret_file.read_text().strip()

# No idle connections kept open: runserver starts a thread per request, and each kept its own connection for a
# minute, which exhausted a shared PostgreSQL under load.
DATABASES["default"]["CONN_MAX_AGE"] = 0

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
JOINEDUP_ALLOW_DEMO_DATA = True

# Static files come from the finders; collectstatic (production) fills STATIC_ROOT, which must exist.
STATIC_ROOT = BASE_DIR / "build" / "collected-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
