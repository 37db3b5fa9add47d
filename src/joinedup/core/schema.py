"""OpenAPI truth (issue 19): every operation documents the error answers it can give, in the one error shape,
and the domain limits (core/domain/limits.py) appear where the schema can say them. A drf-spectacular
postprocessing hook, so no view has to repeat it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from joinedup.core.domain import limits

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. invalid, not_found, no_consent"},
                "message": {"type": "string", "description": "plain English"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "per field (dotted names for nested fields), what to change",
                },
            },
        }
    },
}

_WHY = {
    "400": "Invalid input (including a body over the size limit, nested too deep, or holding a null character); "
    "nothing was stored",
    "401": "Not signed in: send a valid bearer token",
    "403": "Signed in, but this action is not allowed on a record you can see",
    "404": "Unknown, or not visible to you (including a page number past the end)",
    "409": "Conflicts with the record's current state (or an Idempotency-Key reused for another request)",
    "429": "Rate limited; retry after the time in Retry-After",
    "503": "The service is unavailable (for example the database); nothing was saved, try again",
}


def paginated(serializer: type[serializers.Serializer[Any]], name: str) -> Any:
    """The list shape from docs/api.md, for views that paginate by hand: {"results", "next", "count"}."""
    return inline_serializer(
        name=name,
        fields={
            "results": serializer(many=True),
            "next": serializers.URLField(allow_null=True),
            "count": serializers.IntegerField(),
        },
    )


def _error_ref() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _limit_email_and_dates(schema: Any) -> None:
    """Emails get the same pattern the domain applies; dates the range it accepts (1900 to 9999 is all a date
    column holds; the domain narrows further by field and says so in its 400 message)."""
    if isinstance(schema, dict):
        if schema.get("format") == "email" and schema.get("type") == "string":
            schema.setdefault("maxLength", limits.EMAIL_MAX)
        for value in schema.values():
            _limit_email_and_dates(value)
    elif isinstance(schema, list):
        for value in schema:
            _limit_email_and_dates(value)


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429", "503"]
            if "security" not in operation:
                # A public operation (no account: the anonymous follow-up) is never refused for want of one.
                codes = [c for c in codes if c not in {"401", "403"}]
            if method != "get":
                codes.append("409")
            for code in codes:
                responses.setdefault(code, {"description": _WHY[code], "content": _error_ref()})
    _limit_email_and_dates(result.get("components", {}))
    return result
