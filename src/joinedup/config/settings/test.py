"""Tests: the database comes from DATABASE_URL (PostgreSQL in CI, SQLite by default); fast hashing."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOINEDUP_ALLOW_DEMO_DATA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
JOINEDUP_AUDIT_DB_GUARD = False  # see audit/migrations/0002_append_only.py

# Static files come from the finders; collectstatic (production) fills STATIC_ROOT, which must exist.
STATIC_ROOT = BASE_DIR / "build" / "collected-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
