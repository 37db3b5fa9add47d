"""Every write to agencies, accounts, roles and tokens. Atomic and audited.

`actor=None` means the server's operator, acting through a management command on the machine itself; the
audit entry then records the command channel and no user.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import forget_actor_facts, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.domain.validation import agency_problems, user_problems
from joinedup.accounts.models import Agency, ApiToken, Membership, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core.domain.partnership import DEFAULT_ENTRY_POINT, AgencyKind, Role, normalise_email
from joinedup.core.errors import Conflict, InvalidInput

TOKEN_PREFIX = "ju_"  # noqa: S105 — a marker that makes leaked tokens easy to scan for, not a secret
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)


def agency_create(
    *,
    actor: User | None,
    slug: str,
    name: str,
    kind: str,
    area: str = "",
    is_lead_partner: bool = False,
) -> Agency:
    problems = agency_problems(slug=slug, name=name, kind=kind)
    if problems:
        raise InvalidInput("The agency's details are not valid.", fields=problems)
    if actor is not None:
        lead = Agency.objects.filter(is_lead_partner=True).first()
        require(actor, "agency.manage", lead)
    entry = DEFAULT_ENTRY_POINT[AgencyKind(kind)]
    with transaction.atomic():
        if Agency.objects.filter(slug=slug).exists():
            raise Conflict(f"An agency with the short name '{slug}' already exists.", code="agency_exists")
        agency = Agency.objects.create(
            slug=slug,
            name=name.strip(),
            kind=kind,
            area=area.strip(),
            is_lead_partner=is_lead_partner,
            default_setting=entry[0].value if entry else "",
            default_need=entry[1].value if entry else "",
        )
        record(actor=actor, action=AuditAction.CREATE, obj=agency, summary=f"Agency created: {agency.name}")
    return agency


def user_create(
    *,
    actor: User | None,
    email: str,
    name: str,
    agency: Agency,
    roles: list[str],
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """A new account with its roles in one agency. Without a password the account cannot sign in until one is
    set; `password_hash` lets the demo loader reuse one hash instead of hashing thousands of times."""
    problems = user_problems(email=email, name=name, roles=roles)
    email = normalise_email(email)
    if password is not None and "email" not in problems:
        try:
            validate_password(password, User(email=email, name=name))
        except ValidationError as error:
            problems["password"] = list(error.messages)
    if problems:
        raise InvalidInput("The user's details are not valid.", fields=problems)
    if actor is not None:
        require(actor, "user.manage", _facts_for_agency(agency))
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise Conflict(f"There is already an account for {email}.", code="user_exists")
        user = User(email=email, name=name.strip())
        if password_hash:
            user.password = password_hash
        elif password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        Membership.objects.bulk_create(Membership(user=user, agency=agency, role=role) for role in sorted(set(roles)))
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            summary=f"Account created for {user.name} at {agency.name}",
            details={"agency": agency.slug, "roles": sorted(set(roles))},
        )
    return user


def membership_grant(*, actor: User | None, user: User, agency: Agency, role: str) -> Membership:
    if role not in {r.value for r in Role}:
        raise InvalidInput("Unknown role.", fields={"role": [f"Unknown role {role}"]})
    if actor is not None:
        require(actor, "user.manage", _facts_for_agency(agency))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if created:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=user,
                summary=f"Role {role} granted at {agency.name}",
                details={"agency": agency.slug, "role": role, "change": "granted"},
            )
    forget_actor_facts(user)
    return membership


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, actor: User | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for `user`. Returns the token once; only its digest is kept."""
    if not user.is_active:
        raise Conflict("This account is not active, so it cannot be given a token.", code="inactive_user")
    if actor is not None and actor.pk != user.pk:
        require(actor, "user.manage", user)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, digest=_digest(raw), prefix=raw[:10], name=name[:100])
        record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="accounts.apitoken",
            object_id=str(token.pk),
            summary=f"API token {token.prefix}… issued for {user.email}",
        )
    return token, raw


def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        require(actor, "user.manage", token.user)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="accounts.apitoken",
                object_id=str(token.pk),
                summary=f"API token {token.prefix}… revoked",
            )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None. Records when it was last used (to the minute)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def sign_in_recorded(*, user: User) -> None:
    record(actor=user, action=AuditAction.SIGN_IN, obj=user, summary="Signed in")


def sign_in_failed_recorded(*, email: str, locked_out: bool) -> None:
    record(
        actor=None,
        action=AuditAction.LOCKED_OUT if locked_out else AuditAction.SIGN_IN_FAILED,
        object_type="accounts.user",
        summary=("Locked out: " if locked_out else "Failed sign-in for ") + normalise_email(email)[:200],
    )


def sign_out_recorded(*, user: User) -> None:
    record(actor=user, action=AuditAction.SIGN_OUT, obj=user, summary="Signed out")


def _facts_for_agency(agency: Agency) -> SubjectFacts:
    return SubjectFacts(kind="agency", agency_ids=frozenset({agency.pk}), lead_partner=agency.is_lead_partner)


# Work that must be handed on before an account stops: apps above accounts register a check (the cases app: open
# cases held as key worker), each returning a plain-words problem or "" — accounts never reads their tables.
DEACTIVATION_CHECKS: list[Callable[[User], str]] = []


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Someone leaves: their account stops working, but never while they still hold open cases (a case must always
    have an accountable key worker). Their tokens stop with it."""
    for agency in Agency.objects.filter(memberships__user=user).distinct():
        if actor is not None:
            require(actor, "user.manage", _facts_for_agency(agency))
    for check in DEACTIVATION_CHECKS:
        problem = check(user)
        if problem:
            raise Conflict(problem, code="holds_open_cases")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(actor=actor, action=AuditAction.UPDATE, obj=user, summary=f"Account deactivated: {user.email}")
    return user
