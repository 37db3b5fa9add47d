"""A small engine for GOV.UK question pages: each page is data (questions with wording per journey), turned
into a Django form for validation and rendered by one template. Answers are kept per page in a server-side
draft, so nothing typed is lost between pages, on an error, or after a timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from joinedup.core.domain import limits
from joinedup.core.forms import GovUKForm
from joinedup.incidents.domain import vocabulary as v

Journey = str  # "self" | "third_party" | "practitioner"
Wording = str | dict[Journey, str]


def say(wording: Wording, journey: Journey) -> str:
    if isinstance(wording, str):
        return wording
    return wording.get(journey) or wording.get("default") or next(iter(wording.values()))


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # text | textarea | radios | checkboxes | date
    label: Wording
    hint: Wording = ""
    terms: tuple[v.Term, ...] = ()
    required: Wording = ""  # the error message when missing; empty = optional
    exclusive: str = ""  # a checkbox value that means "none of these"
    exclusive_label: Wording = ""
    reveal: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option value → conditional questions
    only_when: dict[str, str] = field(default_factory=dict)  # {"question": "value"}: required only then
    autocomplete: str = ""
    input_classes: str = ""
    max_length: int = 5000
    past_only: bool = True
    journeys: tuple[Journey, ...] = ()  # empty: every journey that shows the page
    required_if_any: str = ""  # required when that checkbox question has any answer but its exclusive one
    optional_in: tuple[Journey, ...] = ()  # journeys where `required` does not apply (the person may skip it)

    def shown_in(self, journey: Journey) -> bool:
        return not self.journeys or journey in self.journeys

    def options(self, journey: Journey) -> list[tuple[str, str]]:
        """Practitioners read precise terms; the person reads plain words about themselves ("you"); someone
        telling us for them reads the same plain words about the person ("them")."""
        if journey == "practitioner":
            return [(t.value, t.label) for t in self.terms]
        if journey == "third_party":
            return [(t.value, t.about_them) for t in self.terms]
        return [(t.value, t.plain) for t in self.terms]


@dataclass(frozen=True)
class Page:
    slug: str
    title: Wording
    questions: tuple[Question, ...]
    journeys: tuple[Journey, ...] = ("self", "third_party", "practitioner")
    intro: Wording = ""
    skip_if: Callable[[dict[str, Any]], bool] | None = None
    # For people telling us themselves or for someone else, a page asked after sending ("tell us more", all
    # optional) rather than before it; practitioners are asked it in the journey as usual.
    later: bool = False
    # Turns the page's answers into stored answers before they are saved (for example, "yesterday" into a date
    # on the day it was answered, so coming back a week later does not move it).
    derive: Callable[[dict[str, Any], date], dict[str, Any]] | None = None

    def questions_for(self, journey: Journey) -> list[Question]:
        return [q for q in self.questions if q.shown_in(journey)]

    def applies(self, journey: Journey, answers: dict[str, Any]) -> bool:
        if journey not in self.journeys:
            return False
        return not (self.skip_if and self.skip_if(answers))


class DateParts(forms.MultiValueField):
    """A GOV.UK date input: day, month and year boxes, with the Design System's error messages."""

    widget = forms.MultiWidget(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def __init__(self, *, label_text: str, past_only: bool = True, **kwargs: Any) -> None:
        self.label_text, self.past_only = label_text, past_only
        super().__init__(fields=[forms.CharField(required=False)] * 3, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_text} must include a {' and '.join(missing)}")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError as bad:
            raise forms.ValidationError(f"{self.label_text} must be a real date") from bad
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        if self.past_only and value > timezone.localdate():
            raise forms.ValidationError(f"{self.label_text} must be today or in the past")
        if value < limits.EARLIEST_DATE:
            raise forms.ValidationError(f"{self.label_text} must be in or after 1900")
        return value


def build_form(page: Page, journey: Journey) -> type[GovUKForm]:
    """A Django form for one page in one journey, with GOV.UK messages."""
    fields: dict[str, forms.Field] = {}
    anchors: dict[str, str] = {}
    shown = page.questions_for(journey)
    tell_us_more = page.later and journey != "practitioner"  # after sending, every question may be skipped
    for q in shown:
        label = say(q.label, journey)
        unconditional = bool(q.required) and not q.only_when and journey not in q.optional_in and not tell_us_more
        messages = {"required": say(q.required, journey)} if q.required else {}
        if q.kind in {"text", "textarea"}:
            fields[q.name] = forms.CharField(
                required=unconditional,
                max_length=q.max_length,
                strip=False,
                error_messages={**messages, "max_length": f"{label} must be {q.max_length:,} characters or fewer"},
            )
        elif q.kind == "radios":
            fields[q.name] = forms.ChoiceField(
                required=unconditional,
                choices=q.options(journey),
                error_messages={**messages, "invalid_choice": f"Select an option for: {label}"},
            )
            anchors[q.name] = f"id_{q.name}"
        elif q.kind == "checkboxes":
            choices = q.options(journey) + ([(q.exclusive, "")] if q.exclusive else [])
            fields[q.name] = forms.MultipleChoiceField(
                required=unconditional,
                choices=choices,
                error_messages={**messages, "invalid_choice": f"Select only the options shown for: {label}"},
            )
            anchors[q.name] = f"id_{q.name}"
        elif q.kind == "date":
            fields[q.name] = DateParts(label_text=label.rstrip("?"), past_only=q.past_only, required=False)
            anchors[q.name] = f"id_{q.name}-day"
    questions = {q.name: q for q in shown}

    def clean(self: GovUKForm) -> dict[str, Any]:
        data = super(type(self), self).clean() or {}
        for q in shown:
            value = data.get(q.name)
            if q.only_when and q.name not in self.errors:
                ((other, wanted),) = q.only_when.items()
                answer = data.get(other)
                chosen = (wanted in answer) if isinstance(answer, list) else (answer == wanted)
                if chosen and not value:
                    self.add_error(q.name, say(q.required, journey))
            if q.required_if_any and q.name not in self.errors and not value:
                other_q = questions.get(q.required_if_any)
                given = [a for a in data.get(q.required_if_any) or [] if not other_q or a != other_q.exclusive]
                if given:
                    self.add_error(q.name, say(q.required, journey))
            if q.kind == "checkboxes" and q.exclusive and value and q.exclusive in value and len(value) > 1:
                self.add_error(q.name, f"Select '{say(q.exclusive_label, journey)}' on its own, or other options")
        return data

    attrs: dict[str, Any] = {**fields, "clean": clean, "error_anchor": anchors, "questions": questions}
    return type(f"{page.slug.title().replace('-', '')}Form", (GovUKForm,), attrs)


def to_storable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_storable(kind: str, value: Any) -> Any:
    if kind == "date" and isinstance(value, str) and value:
        return date.fromisoformat(value)
    return value


def initial_from_posted(page: Page, posted: dict[str, Any]) -> dict[str, Any]:
    """What someone typed but could not send (the page had a problem when their time ran out), shown again as
    they typed it: raw form values, as posted."""
    initial: dict[str, Any] = {}
    for q in page.questions:
        if q.kind == "date":
            parts = [str(posted.get(f"{q.name}_{i}", "")) for i in range(3)]
            if any(parts):
                initial[q.name] = parts
        elif q.name in posted:
            initial[q.name] = posted[q.name]
    return initial


def posted_values(page: Page, journey: Journey, data: Any) -> dict[str, Any]:
    """The raw values posted for one page's questions (a QueryDict), kept so nothing typed is lost."""
    kept: dict[str, Any] = {}
    for q in page.questions_for(journey):
        if q.kind == "date":
            for i in range(3):
                if data.get(f"{q.name}_{i}"):
                    kept[f"{q.name}_{i}"] = str(data.get(f"{q.name}_{i}"))[:10]
        elif q.kind == "checkboxes":
            if data.getlist(q.name):
                kept[q.name] = [str(x)[:100] for x in data.getlist(q.name)]
        elif data.get(q.name):
            kept[q.name] = str(data.get(q.name))[: q.max_length]
    return kept


def initial_for(page: Page, stored: dict[str, Any]) -> dict[str, Any]:
    initial = {}
    for q in page.questions:  # every question: stored answers only exist for those shown
        if q.name in stored:
            value = from_storable(q.kind, stored[q.name])
            if q.kind == "date":
                initial[q.name] = [str(value.day), str(value.month), str(value.year)] if value else ["", "", ""]
            else:
                initial[q.name] = value
    return initial
