"""Production settings for the load benchmark, with two differences that do not change what a page costs:
database connections persist for the run, and static files come from the finders instead of a collected
manifest, because `collectstatic` under production settings currently fails on a file the compiled GOV.UK CSS
names but JoinedUp must not serve (the crest; reported to the lead). Static files are in no scenario."""

from joinedup.config.settings.production import *  # noqa: F403
from joinedup.config.settings.production import DATABASES, STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

# Production recycles connections each minute; here they last the run, so the database backends whose CPU
# load.py reads live as long as the run (a backend that exits takes its CPU count with it).
DATABASES["default"]["CONN_MAX_AGE"] = None
