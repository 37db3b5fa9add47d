"""Turn service errors into clear, non-zero command exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError

from joinedup.core.errors import ServiceError


@contextmanager
def service_errors_as_command_errors() -> Iterator[None]:
    try:
        yield
    except ServiceError as error:
        lines = [error.message]
        for field, messages in error.fields.items():
            lines.extend(f"  {field}: {message}" for message in messages)
        raise CommandError("\n".join(lines)) from error
