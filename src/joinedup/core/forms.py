"""GOV.UK-style form helpers: an error summary that links to each field, and messages on the field."""

from __future__ import annotations

from typing import Any

from django import forms


class GovUKForm(forms.Form):
    """A form whose errors read as the GOV.UK Design System asks: specific, on the field, and summarised."""

    # Where a field's input has a different id from its name (radios, checkboxes, date parts).
    error_anchor: dict[str, str] = {}

    def error_summary(self) -> list[dict[str, str]]:
        items: list[dict[str, str]] = []
        for name, errors in self.errors.items():
            anchor = "" if name == "__all__" else "#" + self.error_anchor.get(name, f"id_{name}")
            items.extend({"text": str(message), "href": anchor} for message in errors)
        return items

    def field_error(self, name: str) -> dict[str, str] | None:
        errors = self.errors.get(name)
        return {"text": str(errors[0])} if errors else None

    def value(self, name: str) -> Any:
        """What the user typed (or the initial value), so nothing is lost when the page is shown again."""
        return self[name].value()
