"""Who is asking, from where: set once per request so audit entries can say so without threading `request`
through every service. Services still take their `actor` explicitly; this only adds the network facts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    request_id: str
    ip: str | None = None
    user_agent: str = ""
    channel: str = "web"  # web | api | command | task


_current: ContextVar[RequestMeta | None] = ContextVar("joinedup_request_meta", default=None)


def current() -> RequestMeta:
    meta = _current.get()
    return meta if meta is not None else RequestMeta(request_id="", channel="command")


@contextmanager
def bound(meta: RequestMeta) -> Iterator[RequestMeta]:
    token = _current.set(meta)
    try:
        yield meta
    finally:
        _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
