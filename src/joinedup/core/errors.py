"""Exceptions services raise. Views and the API turn them into pages and JSON errors."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError


class ServiceError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class Conflict(ServiceError):
    """The action conflicts with the record's current state (HTTP 409)."""

    code = "conflict"


class Unavailable(ServiceError):
    """Something this server cannot provide right now, though the request was fine (HTTP 503)."""

    code = "unavailable"


class InvalidInput(ServiceError):
    """Input that passed the form but breaks a domain rule (HTTP 400). Nothing is stored."""

    code = "invalid"


# What a database outage looks like to Django: the connection refused, dropped or unusable. Answered with 503
# "Nothing was saved. Try again." (core.middleware.DatabaseOutageMiddleware, core.views.server_error).
DATABASE_OUTAGE = (OperationalError, InterfaceError)
