"""The only parser the API uses (REST_FRAMEWORK DEFAULT_PARSER_CLASSES): JSON within the limits in
core/domain/limits.py. A body too big, nested too deep, or holding a null byte anywhere is a 400 before any view
runs — Python's json recursion and PostgreSQL's refusal of NUL in text would otherwise surface as 500s."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from joinedup.core.domain import limits


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        if stream is None:
            return {}
        raw = stream.read(limits.REQUEST_BODY_MAX_BYTES + 1)
        if len(raw) > limits.REQUEST_BODY_MAX_BYTES:
            raise ParseError(f"The request body is larger than {limits.REQUEST_BODY_MAX_BYTES:,} bytes.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError("The request body is not UTF-8 text.") from exc
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError as exc:
            raise ParseError(f"The JSON is nested more than {limits.JSON_MAX_DEPTH} levels deep.") from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        problem = limits.json_value_problem(data)
        if problem:
            raise ParseError(problem)
        return data


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259) and cannot be stored in a date, a choice or text.
    raise ValueError(f"{name} is not valid JSON")
