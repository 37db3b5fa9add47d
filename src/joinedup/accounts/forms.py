from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms

from joinedup.accounts.models import User
from joinedup.core.domain.partnership import normalise_email
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


class SecondFactorCodeForm(GovUKForm):
    """A 6-digit code from an authenticator app, or a recovery code (8 letters and numbers)."""

    code = forms.CharField(max_length=40, error_messages={"required": "Enter the code"})

    def clean_code(self) -> str:
        # People copy codes with spaces or dashes ("123 456", "abcd-efgh"): those carry no meaning.
        code = "".join(ch for ch in self.cleaned_data["code"] if ch.isalnum()).lower()
        if not 6 <= len(code) <= 16:
            raise forms.ValidationError("Enter the 6 numbers from your authenticator app, or a recovery code")
        return code


class PasswordChangeForm(auth_forms.PasswordChangeForm, GovUKForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The two new passwords do not match",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class PasswordResetForm(auth_forms.PasswordResetForm, GovUKForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }

    def get_users(self, email: str) -> Iterator[Any]:
        """Active accounts with this address, including those made without a password: the emailed link is how a
        new practitioner sets their first one (the operator never handles it)."""

        yield from User.objects.filter(email=normalise_email(email), is_active=True)


class SetPasswordForm(auth_forms.SetPasswordForm, GovUKForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords do not match",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
