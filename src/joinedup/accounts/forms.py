from __future__ import annotations

from django import forms

from joinedup.core.forms import GovUKForm


class SignInForm(GovUKForm):
    email = forms.CharField(
        max_length=254,
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        max_length=200,
        strip=False,
        error_messages={"required": "Enter your password"},
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if "@" not in email:
            raise forms.ValidationError("Enter an email address in the correct format, like name@example.org")
        return email
