"""API conventions from docs/api.md: one JSON error shape, one pagination shape, idempotent creates."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from joinedup.core.errors import Conflict, InvalidInput, Unavailable
from joinedup.core.models import IdempotencyRecord


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data: Any) -> Response:
        if self.page is None:  # only called after paginate_queryset has set the page
            raise RuntimeError("get_paginated_response called before paginate_queryset")
        return Response({"results": data, "next": self.get_next_link(), "count": self.page.paginator.count})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next", "count"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
                "count": {"type": "integer"},
            },
        }


_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "rate_limited",
}

_MESSAGES = {
    "invalid": "Some of the information sent is not valid. Nothing was saved.",
    "not_authenticated": "Sign in, or send a valid bearer token.",
    "forbidden": "You are not allowed to do this.",
    "not_found": "Not found, or you do not have access to it.",
}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF nests field errors for nested objects; the contract is one level of dotted field names."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and prefix == "":
                name = "non_field_errors"
            fields.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        return Response(error_body(exc.code, exc.message, exc.fields or None), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Unavailable):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, InvalidInput):
        # A domain rule refused the input after the serializer accepted its shape: still a 400, field by field.
        return Response(error_body("invalid", exc.message, exc.fields or None), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(error_body("not_found", _MESSAGES["not_found"]), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = _CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str | exceptions.ErrorDetail):
        detail_code = getattr(exc.detail, "code", None)
        if detail_code and detail_code not in {"invalid", "error", "permission_denied"}:
            code = str(detail_code)
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _MESSAGES["invalid"], _flatten(exc.detail))
    else:
        detail = getattr(exc, "detail", None)
        message = str(detail) if isinstance(detail, str) else _MESSAGES.get(code, "The request failed.")
        response.data = error_body(code, message)
    return response


IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotent_create(request: Any, endpoint: str, create: Any) -> Response:
    """Run `create()` once per (user, Idempotency-Key): a repeat returns the first answer and creates nothing.

    The create and the record of its answer share one transaction; a concurrent duplicate hits the unique
    constraint, its work is rolled back, and it replays the winner's answer."""

    key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
    if not key:
        return create()
    if len(key) > 200:
        raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["Use a key of 200 characters or fewer"]})
    fingerprint = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()

    def replay(existing: IdempotencyRecord) -> Response:
        if existing.endpoint != endpoint or existing.request_fingerprint != fingerprint:
            raise Conflict(
                "This Idempotency-Key was already used for a different request.", code="idempotency_key_reused"
            )
        return Response(
            existing.response_body, status=existing.response_status, headers={"Idempotent-Replayed": "true"}
        )

    existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if existing:
        return replay(existing)
    try:
        with transaction.atomic():
            response: Response = create()
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    user=request.user,
                    key=key,
                    endpoint=endpoint,
                    request_fingerprint=fingerprint,
                    response_status=response.status_code,
                    # Stored as the client saw it (dates as strings), so a replay answers exactly the same.
                    response_body=json.loads(JSONRenderer().render(response.data)),
                )
    except IntegrityError:
        return replay(IdempotencyRecord.objects.get(user=request.user, key=key))
    return response
