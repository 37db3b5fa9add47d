"""Every write to agencies, accounts, roles and tokens. Atomic and audited.

`actor=None` means the server's operator, acting through a management command on the machine itself; the
audit entry then records the command channel and no user.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from joinedup.access.decision import forget_actor_facts, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.domain.validation import agency_problems, user_problems
from joinedup.accounts.models import Agency, ApiToken, Membership, SignInSession, User
from joinedup.accounts.second_factor import RECOVERY_CODE_COUNT
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
    problems = agency_problems(slug=slug, name=name, kind=kind, area=area)
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
    """A new bearer token for `user`, `ju_<public id>_<secret>`. Returns the token once; only its digest is kept.
    It expires after API_TOKEN_DAYS (0: never)."""
    if not user.is_active:
        raise Conflict("This account is not active, so it cannot be given a token.", code="inactive_user")
    if actor is not None and actor.pk != user.pk:
        require(actor, "user.manage", user)
    days = int(settings.API_TOKEN_DAYS)
    expires_at = timezone.now() + timedelta(days=days) if days > 0 else None
    for _attempt in range(3):  # 48-bit public ids: a clash is rare, but the unique index decides
        public_id = secrets.token_hex(6)
        raw = f"{TOKEN_PREFIX}{public_id}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    digest=_digest(raw),
                    public_id=public_id,
                    prefix=raw[:12],
                    name=name[:100],
                    expires_at=expires_at,
                )
                record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    object_type="accounts.apitoken",
                    object_id=public_id,
                    summary=f"API token {public_id} issued for {user.email}",
                    details={"expires_at": expires_at.isoformat() if expires_at else None},
                )
            return token, raw
        except IntegrityError:
            continue
    raise Conflict("Could not make a unique token id; try again.", code="token_clash")


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
                object_id=token.public_id or str(token.pk),
                summary=f"API token {token.public_id or token.prefix} revoked",
            )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None. Records when it was last used (to the minute).
    An expired token is refused, and the attempt audited by the token's public id only: whoever sent it may
    not be its owner, so the entry names no one."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        record(
            actor=None,
            action=AuditAction.DENIED,
            object_type="accounts.apitoken",
            object_id=token.public_id or str(token.pk),
            reason="token_expired",
            summary="An expired API token was refused",
            details={"attempted": "api", "expired_at": token.expires_at.isoformat()},
        )
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def sign_in_recorded(*, user: User, session_key: str | None = None, second_factor_due: bool = False) -> None:
    """The password was right. The browser session is remembered so deactivation can end it; sessions older
    than the absolute limit are forgotten here, which keeps the table to the sessions that could still live."""
    with transaction.atomic():
        if session_key:
            cutoff = timezone.now() - timedelta(seconds=int(settings.SESSION_ABSOLUTE_SECONDS))
            SignInSession.objects.filter(started_at__lt=cutoff).delete()
            SignInSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
        record(
            actor=user,
            action=AuditAction.SIGN_IN,
            obj=user,
            summary="Password accepted; second factor asked for" if second_factor_due else "Signed in",
            details={"step": "password"},
        )


def second_factor_verified_recorded(*, user: User, method: str, recovery_codes_left: int | None = None) -> None:
    details: dict[str, object] = {"step": "second_factor", "method": method}
    if recovery_codes_left is not None:
        details["recovery_codes_left"] = recovery_codes_left
    record(
        actor=user,
        action=AuditAction.SIGN_IN,
        obj=user,
        summary=f"Signed in (second factor: {method})",
        details=details,
    )


def second_factor_failed_recorded(*, user: User) -> None:
    record(
        actor=user,
        action=AuditAction.SIGN_IN_FAILED,
        obj=user,
        summary="A wrong second-factor code was entered",
        details={"step": "second_factor"},
    )


def second_factor_totp_start(*, actor: User) -> TOTPDevice:
    """The authenticator app being set up: the same unconfirmed secret until it is confirmed, so the QR code
    does not change if the page is reloaded. Nothing is audited until it is confirmed."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return device


def second_factor_totp_confirm(*, actor: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows. Returns new recovery codes when this is the account's first
    second factor (None otherwise); raises InvalidInput for a wrong code."""
    if device.user_id != actor.pk or device.confirmed:
        raise Conflict("This authenticator app is not being set up.", code="not_pending")
    if not device.verify_token(code):
        raise InvalidInput(
            "Wrong code.", fields={"code": ["The code is not right. Enter the 6 numbers the app shows now"]}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=actor,
            summary="Second factor set up: authenticator app",
            details={"second_factor": "totp", "change": "added"},
        )
        return None if StaticDevice.objects.filter(user=actor).exists() else _recovery_codes_make(actor)


def passkey_registered_recorded(*, actor: User) -> list[str] | None:
    """A passkey was added (django-otp-webauthn stored it). Returns first recovery codes, as above."""
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=actor,
            summary="Second factor set up: passkey",
            details={"second_factor": "passkey", "change": "added"},
        )
        return None if StaticDevice.objects.filter(user=actor).exists() else _recovery_codes_make(actor)


# A person's own account (their place, My support) -------------------------------------------------------------
# Audited without their name or contact details in the words: the entry names the account, and that is enough.


def person_sign_in_recorded(
    *, user: User, session_key: str | None, method: str, second_factor_due: bool = False
) -> None:
    """A person signed in to their own place, with a one-time link or a passkey. The browser session is
    remembered like a practitioner's, so switching their place off (or their key worker resetting their
    passkeys) ends it."""
    with transaction.atomic():
        if session_key:
            SignInSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
        how = {"link": "a one-time link", "passkey": "their passkey"}.get(method, method)
        record(
            actor=user,
            action=AuditAction.SIGN_IN,
            obj=user,
            summary=f"Signed in to their own place with {how}" + ("; passkey asked for" if second_factor_due else ""),
            details={"step": "password" if method == "link" else "second_factor", "method": method, "place": "own"},
        )


def person_sign_in_failed_recorded(*, reason: str, user: User | None = None) -> None:
    """A link that no longer works, or a passkey that is not for a person's own place. Whoever tried is not
    named when it may not be the account's owner."""
    summaries = {
        "link_spent": "A one-time link that was used or had run out was opened",
        "not_a_persons_passkey": "A passkey that is not for anyone's own place was refused",
        "place_switched_off": "A link or passkey for an own place that was switched off was refused",
    }
    record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        obj=user,
        object_type="" if user else "accounts.user",
        summary=summaries.get(reason, "A sign-in to an own place failed"),
        reason=reason,
        details={"place": "own"},
    )


def person_passkey_added_recorded(*, actor: User) -> None:
    """django-otp-webauthn stored the person's new passkey; their own, so no recovery codes come with it."""
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=actor,
        summary="Passkey added to their own place",
        details={"passkey": "added", "place": "own"},
    )


def person_passkey_remove(*, actor: User, passkey_id: int) -> bool:
    """The person removes one of their own passkeys (the caller has checked they may: see
    accounts.domain.second_factor.passkey_change_allowed). False if it is not theirs or already gone."""
    with transaction.atomic():
        removed, _ = WebAuthnCredential.objects.filter(user=actor, pk=passkey_id).delete()  # with its attestation
        if removed:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=actor,
                summary="Passkey removed from their own place",
                details={"passkey": "removed", "place": "own"},
            )
    return bool(removed)


def person_passkeys_remove_all(*, actor: User, user: User, person_uuid: uuid.UUID | None = None) -> int:
    """Their key worker removes every passkey of a person's own account (a lost phone) and ends its sessions.
    The caller has checked the key worker may (the portal's `portal.invite` rule). Returns how many."""
    with transaction.atomic():
        passkeys = WebAuthnCredential.objects.filter(user=user)
        removed = passkeys.count()
        passkeys.delete()
        ended = sessions_end(user=user)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            person_uuid=person_uuid,
            summary="Their passkeys removed and the extra check switched off by their key worker",
            details={"passkey": "removed_all", "place": "own", "passkeys": removed, "sessions_ended": ended},
        )
    return removed


def recovery_codes_replace(*, actor: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_make(actor)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=actor,
            summary="New recovery codes made; the old ones no longer work",
            details={"second_factor": "recovery_codes", "change": "replaced"},
        )
    return codes


def second_factor_reset(*, actor: User | None, user: User) -> int:
    """Someone lost every second factor: after the agency has checked who they are, remove their app, passkeys and
    recovery codes and end their sessions, so they set up a new one at their next sign-in. Returns how many
    devices were removed."""

    if actor is not None:
        for agency in Agency.objects.filter(memberships__user=user).distinct():
            require(actor, "user.manage", _facts_for_agency(agency))
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        ended = sessions_end(user=user)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            summary=f"Second factor reset for {user.email}: set up again at next sign-in",
            details={"second_factor": "all", "change": "removed", "devices": len(devices), "sessions_ended": ended},
        )
    return len(devices)


def _recovery_codes_make(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def session_ended_recorded(*, user: User, reason: str) -> None:
    record(
        actor=user, action=AuditAction.SIGN_OUT, obj=user, summary=f"Signed out: {reason}", details={"reason": reason}
    )


def password_changed_recorded(*, user: User, by_reset: bool) -> None:
    record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        summary="Password reset by email link" if by_reset else "Password changed",
        details={"change": "password", "by_reset": by_reset},
    )


def password_reset_requested_recorded(*, sent: bool) -> None:
    """Audited without the address typed in: it may not be anyone's."""
    record(
        actor=None,
        action=AuditAction.CREATE,
        object_type="accounts.passwordreset",
        summary="Password reset link asked for" + ("" if sent else " (no active account matched)"),
        details={"sent": sent},
    )


def sessions_end(*, user: User) -> int:
    """End every browser session of this account (cache and database), e.g. when it is deactivated."""

    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SignInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    SignInSession.objects.filter(user=user).delete()
    return len(keys)


def sign_in_failed_recorded(*, email: str, locked_out: bool, because: str = "") -> None:
    """`because`: "address" (too many failures from this IP address across accounts) or "account" (too many
    for this account across addresses); empty for django-axes' own lock or a plain failure."""
    if because == "address":
        summary = "Sign-in paused for this IP address (too many failures across accounts)"
    elif locked_out:
        summary = "Locked out: " + normalise_email(email)[:200]
    else:
        summary = "Failed sign-in for " + normalise_email(email)[:200]
    record(
        actor=None,
        action=AuditAction.LOCKED_OUT if locked_out else AuditAction.SIGN_IN_FAILED,
        object_type="accounts.user",
        summary=summary,
        details={"because": because} if because else {},
    )


def sign_out_recorded_quietly(*, session_key: str | None) -> None:
    """Forget a session that ended by itself (its end is audited by session_ended_recorded)."""
    if session_key:
        SignInSession.objects.filter(session_key=session_key).delete()


def sign_out_recorded(*, user: User, session_key: str | None = None) -> None:
    with transaction.atomic():
        if session_key:
            SignInSession.objects.filter(session_key=session_key).delete()
        record(actor=user, action=AuditAction.SIGN_OUT, obj=user, summary="Signed out")


def _facts_for_agency(agency: Agency) -> SubjectFacts:
    return SubjectFacts(kind="agency", agency_ids=frozenset({agency.pk}), lead_partner=agency.is_lead_partner)


# Work that must be handed on before an account stops: apps above accounts register a check (the cases app: open
# cases held as key worker), each returning a plain-words problem or "" — accounts never reads their tables.
DEACTIVATION_CHECKS: list[Callable[[User], str]] = []


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Someone leaves: their account stops working, but never while they still hold open cases (a case must always
    have an accountable key worker). Their tokens and every browser session they have stop with it."""
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
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        ended = sessions_end(user=user)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            summary=f"Account deactivated: {user.email}",
            details={"tokens_revoked": revoked, "sessions_ended": ended},
        )
    return user
