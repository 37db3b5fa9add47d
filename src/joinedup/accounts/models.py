"""Agencies, the people who work in them, their roles, and API tokens. Tables only: writes go through
services.py, reads of colleagues through selectors.py."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from joinedup.core.domain.partnership import AgencyKind, Need, Role, Setting, normalise_email


def _choices(enum: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, getattr(member, "label", member.value.replace("_", " ").capitalize())) for member in enum]


class Agency(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=_choices(AgencyKind))
    area = models.CharField(max_length=200, blank=True)
    # The agency that hosts the partnership (escalations of last resort, rule-set administration).
    is_lead_partner = models.BooleanField(default=False)
    default_setting = models.CharField(max_length=16, choices=_choices(Setting), blank=True)
    default_need = models.CharField(max_length=16, choices=_choices(Need), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return AgencyKind(self.kind).label


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        """Used by Django's own machinery only; JoinedUp code calls accounts.services.user_create."""
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    objects = UserManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.name or self.email


class Membership(models.Model):
    """One role a user holds in one agency. A user may hold several roles in several agencies."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=_choices(Role))
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.agency}"


class ApiToken(models.Model):
    """A bearer token. Only a SHA-256 digest is stored: the token itself is shown once, when issued.

    `public_id` names the token without revealing it (operators revoke by it); new tokens carry it in the clear
    (`ju_<public_id>_<secret>`), so whoever holds a token can tell an operator which one to revoke."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    public_id = models.CharField(max_length=16, unique=True, null=True, blank=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it.")
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the token does not expire.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.public_id or self.prefix} ({self.user})"


class SignInSession(models.Model):
    """One browser sign-in, so every session of an account can be ended at once (deactivation)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"Session of {self.user} since {self.started_at:%Y-%m-%d %H:%M}"
