from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "joinedup.core"
    label = "core"
    verbose_name = "JoinedUp core"

    def ready(self) -> None:
        _text_fields_take_only_text()


def _text_fields_take_only_text() -> None:
    """DRF's CharField turns a JSON number into text (42 → "42"), so a body the schema calls invalid (a number
    where text is required) was accepted. The API is JSON only and the schema says string: refuse anything else.
    Applies to every CharField subclass (email, slug, URL, regex fields)."""
    from rest_framework import fields

    accept_text = fields.CharField.to_internal_value
    if getattr(accept_text, "_joinedup_strict", False):
        return

    def only_text(self: fields.CharField, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return accept_text(self, data)

    only_text._joinedup_strict = True  # type: ignore[attr-defined]
    fields.CharField.to_internal_value = only_text  # type: ignore[method-assign,assignment]
