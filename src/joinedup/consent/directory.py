"""The service directory as the consent ledger sees it.

Consent sits below referrals in the house layers, yet a consent may name one service of the directory (which
referrals owns). So consent declares what it needs here, and the referrals app plugs its selectors in when it
starts (referrals/apps.py). Consent stores the service's id, its name as the person was told it, and the agency
that runs it — captured at the moment of recording — and never reads the referrals tables itself.
See docs/adr/0007-consent-recipients.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured

from joinedup.accounts.models import Agency


@dataclass(frozen=True)
class ServiceRecipient:
    uuid: UUID
    name: str
    agency: Agency | None  # the partner agency that receives for it; None: signpost only


ServiceFinder = Callable[[UUID], "ServiceRecipient | None"]
ServiceLister = Callable[[], "list[ServiceRecipient]"]


@dataclass
class _Directory:
    find: ServiceFinder | None = None
    listed: ServiceLister | None = None


_directory = _Directory()


def register(*, find: ServiceFinder, listed: ServiceLister) -> None:
    """Called once by the app that owns the directory, from its AppConfig.ready."""
    _directory.find, _directory.listed = find, listed


def service_find(service_uuid: UUID) -> ServiceRecipient | None:
    if _directory.find is None:
        raise ImproperlyConfigured("No service directory is registered: is joinedup.referrals installed?")
    return _directory.find(service_uuid)


def services_listed() -> list[ServiceRecipient]:
    """Services a consent can name on the web form (active ones, by name)."""
    if _directory.listed is None:
        raise ImproperlyConfigured("No service directory is registered: is joinedup.referrals installed?")
    return _directory.listed()
