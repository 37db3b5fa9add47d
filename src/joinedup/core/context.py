"""Values every page template needs, for the Jinja2 engine's context_processors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def page(request: HttpRequest) -> dict[str, Any]:
    # The GOV.UK template's inline script needs the CSP nonce; reading it here also makes django-csp send it.
    # django-csp's nonce is lazy and reads as false until used, so turn it into its string value here.
    nonce = getattr(request, "csp_nonce", None)

    return {
        "cspNonce": str(nonce) if nonce is not None else "",
        "htmlLang": "en-GB",
        "session_seconds": settings.SESSION_COOKIE_AGE,  # for the time-out warning
    }
