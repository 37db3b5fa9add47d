"""The API's exception handler: the contract's error shape (core.api) and, because a call to a personal-data
endpoint with no credentials or with an expired or revoked token is a refusal too, its audit entry — without any
personal data (the path's shape only). The schema and the docs are public and never reach here."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response

from joinedup.audit.services import record_unauthenticated
from joinedup.core.api import exception_handler as contract_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        request = context.get("request")
        basis = "invalid_token" if isinstance(exc, exceptions.AuthenticationFailed) else "not_authenticated"
        record_unauthenticated(
            path=getattr(request, "path", "") or "",
            reason=str(getattr(exc, "detail", "")) or "Not signed in",
            basis=basis,
        )
    return contract_exception_handler(exc, context)
