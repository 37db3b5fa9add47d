"""Production settings for the load benchmark, except static files come from the finders instead of a collected
manifest: `collectstatic` under production settings currently fails on a file the compiled GOV.UK CSS names but
JoinedUp must not serve (the crest; reported to the lead). Pages still render the same; static file requests are
not part of any scenario."""

from joinedup.config.settings.production import *  # noqa: F403
from joinedup.config.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
