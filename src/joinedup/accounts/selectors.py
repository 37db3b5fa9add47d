"""Reads of agencies and colleagues, each through the access decision point."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django_otp_webauthn.models import WebAuthnCredential

from joinedup.access.decision import actor_memberships, require
from joinedup.accounts.models import Agency, Membership, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core.domain.partnership import CASEWORK_ROLES


def agency_list(*, actor: User, kind: str | None = None) -> QuerySet[Agency]:
    require(actor, "partnership.view")
    agencies = Agency.objects.all()
    if kind:
        agencies = agencies.filter(kind=kind)
    return agencies.order_by("name")


def agencies_to_choose(*, kinds: frozenset[str] = frozenset()) -> list[Agency]:
    """The partnership's agencies by name, to choose among: who a person lets have their record (My support), which
    agency a harm report is about. Agency names are public — they are on every letter — and nothing about anyone
    is read, so no door is needed."""
    agencies = Agency.objects.all()
    if kinds:
        agencies = agencies.filter(kind__in=kinds)
    return list(agencies.order_by("name"))


def agency_by_uuid(agency_uuid: uuid.UUID | str) -> Agency | None:
    try:
        return Agency.objects.filter(uuid=agency_uuid).first()
    except (ValueError, ValidationError):
        return None


def colleague_list(*, actor: User, agency_slug: str | None = None, role: str | None = None) -> QuerySet[User]:
    """Active colleagues across the partnership a practitioner may hand work to, with their roles."""
    require(actor, "user.list")
    memberships = Membership.objects.select_related("agency").order_by("agency__name", "role")
    users = User.objects.filter(is_active=True)
    if agency_slug:
        users = users.filter(memberships__agency__slug=agency_slug)
        memberships = memberships.filter(agency__slug=agency_slug)
    if role:
        users = users.filter(memberships__role=role)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="accounts.user",
        summary="Listed colleagues",
        details={"agency": agency_slug or "", "role": role or ""},
    )
    return users.distinct().order_by("name", "id").prefetch_related(Prefetch("memberships", queryset=memberships))


def agencies_with_roles(user: User) -> list[tuple[Agency, list[str]]]:
    """The actor's own agencies and the roles they hold in each (their own account: no access check)."""
    grouped: dict[int, tuple[Agency, list[str]]] = {}
    # The memberships the access decision read for this request (access.decision.actor_memberships).
    for membership in sorted(actor_memberships(user), key=lambda m: (m.agency.name, m.role)):
        grouped.setdefault(membership.agency_id, (membership.agency, []))[1].append(membership.role)
    return list(grouped.values())


def acting_user(request: Any) -> User:
    """The signed-in user behind a request (views and API views run only after authentication)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def casework_agency(user: User, slug: str | None = None) -> Agency | None:
    """The agency a practitioner acts for: the one named (if they do casework there), else their first."""

    memberships = user.memberships.select_related("agency").filter(role__in=[r.value for r in CASEWORK_ROLES])
    if slug:
        memberships = memberships.filter(agency__slug=slug)
    membership = memberships.order_by("granted_at", "id").first()
    return membership.agency if membership else None


def passkeys_of(user: User) -> list[WebAuthnCredential]:
    """The account's own passkeys, oldest first (their own account: no access check)."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "id"))
