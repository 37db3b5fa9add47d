"""How django-axes names the account being tried: the normalised e-mail address, whether it arrives as
`authenticate(username=...)` credentials or as the sign-in form's `email` field, so 'Nurse@GP' and 'nurse@gp'
count as one account."""

from __future__ import annotations

from typing import Any

from joinedup.core.domain.partnership import normalise_email


def sign_in_name(request: Any, credentials: dict[str, Any] | None) -> str | None:
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("email")
    return normalise_email(str(raw)) if raw else None
