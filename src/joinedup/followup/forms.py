"""The reporter's forms: plain words, every error specific, nothing typed lost (except a passphrase, which is
never sent back to the page)."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import GovUKForm
from joinedup.followup.domain.rules import (
    CONTACT_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    PASSPHRASE_MAX,
    Named,
    named_problems,
    passphrase_problems,
)

WHO = [
    ("person", "It happened to me"),
    ("advocate", "I am helping someone, as their advocate, friend or family"),
    ("practitioner", "I work for a service"),
]


class ChooseForm(GovUKForm):
    passphrase = forms.CharField(max_length=PASSPHRASE_MAX * 2, required=False, strip=False)
    again = forms.CharField(max_length=PASSPHRASE_MAX * 2, required=False, strip=False)

    def __init__(self, *args: Any, reference: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = passphrase_problems(data.get("passphrase", ""), reference=self.reference)
        if problems:
            self.add_error("passphrase", problems[0])
        elif " ".join(data.get("again", "").split()) != " ".join(data.get("passphrase", "").split()):
            self.add_error("again", "The passphrases do not match. Type it again")
        return data


class UnlockForm(GovUKForm):
    reference = forms.CharField(max_length=20, error_messages={"required": "Enter your reference"})
    passphrase = forms.CharField(
        max_length=PASSPHRASE_MAX * 2, strip=False, error_messages={"required": "Enter your passphrase"}
    )


class ReplyForm(GovUKForm):
    text = forms.CharField(
        max_length=MESSAGE_MAX,
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {MESSAGE_MAX:,} characters or fewer",
        },
    )


class NamedForm(GovUKForm):
    error_anchor = {"who": "id_who"}

    name = forms.CharField(max_length=NAME_MAX, required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.CharField(max_length=254, required=False)
    contact_notes = forms.CharField(max_length=CONTACT_MAX, required=False)
    who = forms.ChoiceField(choices=WHO, required=False)

    def __init__(self, *args: Any, asks_who: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asks_who = asks_who

    def named(self) -> Named:
        d = self.cleaned_data
        return Named(
            name=d.get("name", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            contact_notes=d.get("contact_notes", ""),
            who=d.get("who", ""),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for name, problems in named_problems(self.named(), asks_who=self.asks_who).items():
                self.add_error(name, problems[0])
        return data
