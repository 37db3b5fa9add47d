"""Settings shared by every environment. Everything deployment-specific is read from the environment.

The defaults here are the secure ones; development.py and test.py relax only what they must.
"""

from __future__ import annotations

import os
from datetime import timedelta
from email.utils import formataddr, parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[3]
BASE_DIR = SRC_DIR.parent
APPS_DIR = SRC_DIR / "joinedup"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_env() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'joinedup.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One writer at a time: wait for the lock rather than fail, and keep the journal in WAL so readers
        # are not blocked by the writer during `make run`.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    return config


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "joinedup.core",
    "joinedup.accounts",
    "joinedup.access",
    "joinedup.audit",
    "joinedup.people",
    "joinedup.cases",
    "joinedup.followup",
    "joinedup.incidents",
    "joinedup.risk",
    "joinedup.consent",
    "joinedup.referrals",
    "joinedup.police",
    "joinedup.insights",
    "joinedup.linkage",
    "joinedup.harm",
    "joinedup.panels",
    "joinedup.keywork",
    "joinedup.demo",
    "joinedup.workspace",
    "joinedup.portal",
    "joinedup.dataprotection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "joinedup.core.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "joinedup.accounts.middleware.SessionLimitsMiddleware",
    "joinedup.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "joinedup.core.middleware.RequestContextMiddleware",
    # Outside the two below, so even an outage page or a refusal of hostile input is never stored.
    "joinedup.core.middleware.NoStoreMiddleware",
    "joinedup.core.middleware.HostileInputMiddleware",
    "joinedup.core.middleware.DatabaseOutageMiddleware",
    # Axes last, as its documentation asks, so it sees the authenticated user.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "joinedup.config.urls"
WSGI_APPLICATION = "joinedup.config.wsgi.application"

# Our pages are Jinja2 with the govuk-frontend-jinja macros. Each joinedup app keeps its templates in
# templates/<app>/. The Django engine remains only for third-party pages (Swagger UI).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": sorted(str(path) for path in APPS_DIR.glob("*/templates")),
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "joinedup.config.jinja2.environment",
            "context_processors": ["joinedup.core.context.page"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process, so throttles, sessions and lockouts hold across gunicorn workers: Redis where
# REDIS_URL is set (production, CI), otherwise the database cache table (`make run` needs nothing else running).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "joinedup"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "joinedup_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A person's one-time sign-in link to their own place (portal); it authenticates nothing else.
    "sesame.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset links are valid for this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_MINUTES", "60")) * 60
# Reset links sent per email address per hour (five times as many per IP address).
PASSWORD_RESET_RATE = int(os.environ.get("PASSWORD_RESET_RATE", "3"))
LOGIN_URL = "accounts:sign_in"
# A person's own place: sign-in links (django-sesame) are single use and short-lived, for shared devices.
SESAME_MAX_AGE = int(os.environ.get("PORTAL_LINK_SECONDS", "900"))
SESAME_ONE_TIME = True
# New links a person may have emailed to them per address per hour (five times as many per client address).
PORTAL_LINK_REQUEST_RATE = int(os.environ.get("PORTAL_LINK_REQUEST_RATE", "3"))
LOGIN_REDIRECT_URL = "workspace:my_work"
LOGOUT_REDIRECT_URL = "accounts:signed_out"

# Sessions end after 30 minutes without activity: shared terminals in A&E and GP surgeries are common.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
# However active, a sign-in ends after this long (a whole shift), so a session left open on a shared machine
# cannot be kept alive for ever. Both limits are enforced server-side by accounts.middleware.
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
# Not saved on every request (that cost a write per page): SessionRefreshMiddleware renews the idle window once
# a fraction of it has passed, so a session still ends between 90 % and 100 % of the idle time after the last
# request (docs/performance.md).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_FRACTION = 0.1
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "joinedup.core.views.csrf_failure"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content security policy: our own origin only, scripts need the per-request nonce, no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# django-axes: lock a sign-in name from one address after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "joinedup.accounts.lockout.sign_in_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "joinedup.accounts.views.locked_out"
AXES_VERBOSE = False
# Password spraying tries one password against many accounts from one address, and a distributed attack tries
# one account from many: neither trips the per-email-and-address lock above, so failures are also counted per
# address and per account (in the database, shared by every worker) over the same cool-off window.
SIGN_IN_IP_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_IP_FAILURE_LIMIT", "20"))
SIGN_IN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ACCOUNT_FAILURE_LIMIT", "20"))

# Second factor (django-otp: authenticator app codes and recovery codes; django-otp-webauthn: passkeys).
# Off by default so development, the demo and the test suite sign in with a password alone; production.py
# turns it on. Whoever has set one up is always asked for it, whatever this says.
JOINEDUP_REQUIRE_SECOND_FACTOR = env_bool("JOINEDUP_REQUIRE_SECOND_FACTOR", default=False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "JoinedUp")
OTP_WEBAUTHN_RP_NAME = os.environ.get("OTP_WEBAUTHN_RP_NAME", "JoinedUp")
# The passkey relying party is the host name the service answers on (ALLOWED_HOSTS' first entry by default).
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", "")
OTP_WEBAUTHN_RP_ID_CALLABLE = "joinedup.accounts.second_factor.passkey_rp_id"
# Origins passkeys may be used from. The request's own origin (its host checked against ALLOWED_HOSTS) is
# always accepted too (accounts.second_factor.PasskeyHelper); this list must not be empty for django-otp-webauthn.
OTP_WEBAUTHN_ALLOWED_ORIGINS = (
    env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS")
    or [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]
    or ["http://localhost:8000"]
)
OTP_WEBAUTHN_HELPER_CLASS = "joinedup.accounts.second_factor.PasskeyHelper"
# A practitioner's passkey is a second factor after the password, never a way to skip it: django-otp-webauthn's own
# passwordless endpoints stay off. A person signs in to their own place with a passkey alone through the portal's
# endpoints (portal.passkeys), which accept only people's own accounts.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "joinedup.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: a malformed multipart body must never reach a view (see stack-notes).
    # Limited: body size, nesting depth and null bytes refused with 400 (core/domain/limits.py).
    "DEFAULT_PARSER_CLASSES": ["joinedup.core.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "joinedup.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "joinedup.access.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "anon": os.environ.get("API_RATE_ANON", "30/min"),
        "public_report": os.environ.get("PUBLIC_REPORT_RATE", "20/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "JoinedUp API",
    "DESCRIPTION": (
        "The shared hate crime and targeted-hostility care pathway. Every call acts with exactly the "
        "permissions of the user who owns the bearer token; every read and write of personal data is audited."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Every operation documents its error answers in the one error shape (joinedup/core/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "joinedup.core.schema.document_errors"],
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
    },
    "SECURITY": [{"bearerAuth": []}],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "joinedup.accounts.api.ROLE_CHOICES",
        "AgencyKindEnum": "joinedup.core.domain.partnership.AGENCY_KIND_CHOICES",
        "YesNoUnknownEnum": "joinedup.incidents.api.TRI",
        "RiskLevelEnum": "joinedup.risk.api.LEVEL_CHOICES",
        "ContactChannelEnum": "joinedup.people.domain.validation.CHANNELS",
        "TimelineKindEnum": "joinedup.cases.models.TimelineKind",
        "CaseStatusEnum": "joinedup.cases.models.CaseStatus",
        "HarmStatusEnum": "joinedup.harm.api.HARM_STATUS_CHOICES",
        "HarmTransitionEnum": "joinedup.harm.api.HARM_TRANSITION_CHOICES",
        "HarmReportedByEnum": "joinedup.harm.api.HARM_REPORTED_BY_CHOICES",
        "HarmUpdateCadenceEnum": "joinedup.harm.api.HARM_CADENCE_CHOICES",
        "HarmSourceEnum": "joinedup.harm.api.HARM_SOURCE_CHOICES",
        "HarmWantEnum": "joinedup.harm.api.HARM_WANT_CHOICES",
        "HarmMinimisationEnum": "joinedup.harm.api.HARM_MINIMISATION_CHOICES",
        "SelfConsentPurposeEnum": "joinedup.portal.api.SELF_PURPOSES",
        "PurposeEnum": "joinedup.consent.api.PURPOSES",
        "PanelReferralStatusEnum": "joinedup.panels.api.PANEL_REFERRAL_STATUS_CHOICES",
        "PanelCloseOutcomeEnum": "joinedup.panels.api.PANEL_CLOSE_OUTCOME_CHOICES",
    },
}

# Bearer tokens stop working this many days after they are issued (0: they never expire).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JoinedUp <no-reply@joinedup.invalid>")
# E-mail to a person harmed comes from a neutral name: whoever sees their inbox learns nothing from it (choose a
# neutral address too). By default the address above, named "My support".
PERSON_FROM_EMAIL = os.environ.get("PERSON_FROM_EMAIL", "") or formataddr(
    ("My support", parseaddr(DEFAULT_FROM_EMAIL)[1])
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Local partnership settings.
JOINEDUP_SERVICE_NAME = "JoinedUp"
JOINEDUP_ALLOW_DEMO_DATA = env_bool("JOINEDUP_ALLOW_DEMO_DATA", default=False)
# The Unicode font the police report PDF embeds (Debian: fonts-dejavu-core).
JOINEDUP_PDF_FONT = os.environ.get("JOINEDUP_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# The agency whose hub picks up reports made straight to the partnership (default: the lead partner).
JOINEDUP_TRIAGE_HUB = os.environ.get("JOINEDUP_TRIAGE_HUB", "")
# Where "Exit this page" lands: a neutral site that says nothing about why the person was here.
JOINEDUP_EXIT_URL = os.environ.get("JOINEDUP_EXIT_URL", "https://www.bbc.co.uk/weather")


def require_secret_key(secret: str) -> str:
    if len(secret) < 50 or len(set(secret)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value (50+ characters) outside development. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return secret


# `/bench/bare` (one SELECT 1, anonymous) answers only where this is on: the benchmarks' baseline.
JOINEDUP_BENCH_ENDPOINT = env_bool("JOINEDUP_BENCH_ENDPOINT", default=False)
# Retention periods in days, overriding the defaults in dataprotection/domain/retention.py (docs/data-protection.md),
# one variable per record type: RETENTION_PERSON_DAYS, RETENTION_AUDIT_DAYS, ...
JOINEDUP_RETENTION_DAYS = {
    name.removeprefix("RETENTION_").removesuffix("_DAYS").lower(): int(value)
    for name, value in os.environ.items()
    if name.startswith("RETENTION_") and name.endswith("_DAYS") and value.strip().isdigit()
}

# /readyz is not ready unless a background worker (`manage.py worker`) beat within this many seconds.
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "60"))

JOINEDUP_AUDIT_DB_GUARD = True  # append-only audit table; see audit/migrations/0002
