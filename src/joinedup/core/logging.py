"""Logs as JSON lines in production (one object per line, for the log shipper): time, level, logger, message,
the request id (the X-Request-ID the user can quote) and, for errors, the traceback. No personal data is logged
by JoinedUp itself; messages name records by id only."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from joinedup.core import request_context

# Attributes every LogRecord has; anything else passed with `extra=` is added to the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_context.current().request_id
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
