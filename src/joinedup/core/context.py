"""Values every page template needs, for the Jinja2 engine's context_processors."""

from __future__ import annotations

from typing import Any

from csp.exceptions import CSPNonceError
from django.conf import settings
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject


def page(request: HttpRequest) -> dict[str, Any]:
    # The GOV.UK template's inline script needs the CSP nonce; reading it here also makes django-csp send it.
    # django-csp's nonce is lazy and reads as false until used, so turn it into its string value here.
    try:
        nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    except CSPNonceError:
        # An error page rendered after the CSP header was written (a database outage in a middleware): without
        # a nonce the page's one inline script is blocked, and the page still reads correctly.
        nonce = ""
    return {
        # Django's Jinja2 backend hands templates a csrf_input that masks the token afresh each time it is written:
        # a page with a form per row (My work's cases held for the hub) paid for every one. Masked once per
        # response, when a form first needs it, and the same field written in every form of that response.
        "csrf_input": SimpleLazyObject(lambda: csrf_input(request)),
        "cspNonce": nonce,
        "htmlLang": "en-GB",
        "session_seconds": settings.SESSION_COOKIE_AGE,  # for the time-out warning
    }
