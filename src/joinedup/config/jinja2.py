"""The Jinja2 environment for every page: GOV.UK Frontend macros and the few Django helpers templates need."""

from __future__ import annotations

import functools
import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

# A page links to a record's other pages many times over (a case's ten sub-pages in its navigation), and
# reversing a URL name is the costliest thing a template does. What a name reverses to with a record's id in it
# is the same for every record, so it is reversed once with this stand-in (no record has the nil UUID) and the
# record's id put in its place: the same cost for the first case a practitioner opens as for the hundredth.
_ID_STAND_IN = uuid.UUID(int=0)


@functools.lru_cache(maxsize=1024)
def _reversed(urlconf: str, prefix: str, viewname: str, args: tuple[Any, ...]) -> str:
    return reverse(viewname, urlconf=urlconf, args=args or None)


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    if kwargs or not all(isinstance(a, (uuid.UUID, str, int)) for a in args):
        return reverse(viewname, args=args or None, kwargs=kwargs or None)
    shape = tuple(_ID_STAND_IN if isinstance(a, uuid.UUID) else a for a in args)
    # Keyed by what reverse() depends on besides its arguments, so a test's URLconf or a script prefix is honoured.
    found = _reversed(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), viewname, shape)
    for arg in args:
        if isinstance(arg, uuid.UUID):
            found = found.replace(str(_ID_STAND_IN), str(arg), 1)
    return found


def uk_datetime(value: Any) -> str:
    """A date and time as people in the UK read it: 23 November 2026 at 2:05pm."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def uk_date(value: Any) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """ "1 report", "2 reports", "0 reports": the count with the right form of the word."""
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


_RESEARCH_TAGS = re.compile(r"\s*\[(?:S\d+|domain\.md[^\]]*)\]|;?\s*\bseed \d{3}\b")


def plain_source(text: str) -> str:
    """A rule's source as people read it: the law or guidance by name, without the research file's tags
    ("[S4]", "[domain.md §5]", "seed 003"), which are for developers and stay in the data and the API."""
    return _RESEARCH_TAGS.sub("", str(text)).strip(" ;")


def environment(**options: Any) -> Environment:
    dirs = options.pop("loader", None) or FileSystemLoader([str(d) for d in settings.TEMPLATES[0]["DIRS"]])  # type: ignore[attr-defined]
    options["loader"] = ChoiceLoader(
        [dirs, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")})]
    )
    options.setdefault("autoescape", select_autoescape(default=True, default_for_string=True))
    # The GOV.UK macros read nested optional parameters (params.formGroup.classes): missing ones are falsy.
    options["undefined"] = ChainableUndefined
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 — autoescape is set above
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "service_name": settings.JOINEDUP_SERVICE_NAME,
        }
    )
    env.filters.update({"uk_datetime": uk_datetime, "uk_date": uk_date, "plural": plural, "plain_source": plain_source})
    return env
