from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from joinedup.accounts.models import Agency, ApiToken, Membership, User
from joinedup.accounts.services import (
    agency_create,
    membership_grant,
    token_authenticate,
    token_issue,
    token_revoke,
    user_create,
)
from joinedup.accounts.tests.factories import make_user
from joinedup.audit.models import AuditEntry
from joinedup.audit.testing import assert_audited
from joinedup.core.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_agency_create_sets_the_entry_point_from_its_kind_and_audits() -> None:
    agency = agency_create(actor=None, slug="a-and-e", name="City A&E", kind="nhs_acute")
    assert (agency.default_setting, agency.default_need) == ("acute", "physical")
    entry = assert_audited("create", object_type="accounts.agency", object_id=str(agency.uuid))
    assert entry.channel == "command"


@pytest.mark.parametrize(
    ("slug", "name", "kind", "field"),
    [
        ("Bad Slug", "X", "gp", "slug"),
        ("ok", "  ", "gp", "name"),
        ("ok", "X", "bank", "kind"),
    ],
)
def test_agency_create_refuses_bad_input_and_stores_nothing(slug: str, name: str, kind: str, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        agency_create(actor=None, slug=slug, name=name, kind=kind)
    assert field in raised.value.fields
    assert not Agency.objects.exists()
    assert not AuditEntry.objects.exists()


def test_agency_slugs_are_unique(gp: Agency) -> None:
    with pytest.raises(Conflict):
        agency_create(actor=None, slug=gp.slug, name="Another", kind="gp")


def test_only_a_lead_partner_admin_may_add_agencies(lead_agency: Agency, gp: Agency) -> None:
    outsider = make_user(gp, "agency_admin")
    with pytest.raises(PermissionDenied):
        agency_create(actor=outsider, slug="new-one", name="New", kind="voluntary")
    assert_audited("denied", actor=outsider)
    admin = make_user(lead_agency, "agency_admin")
    agency = agency_create(actor=admin, slug="new-one", name="New", kind="voluntary")
    assert_audited("create", actor=admin, object_id=str(agency.uuid))


def test_user_create_with_roles(gp: Agency) -> None:
    user = user_create(
        actor=None,
        email=" Dr.Jones@Example.org ",
        name="Dr Jones",
        agency=gp,
        roles=["practitioner", "safeguarding_lead"],
        password="a-long-unusual-passphrase",
    )
    assert user.email == "dr.jones@example.org"
    assert user.check_password("a-long-unusual-passphrase")
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {
        "practitioner",
        "safeguarding_lead",
    }
    assert_audited("create", object_type="accounts.user", object_id=str(user.uuid))


def test_user_emails_are_unique_whatever_their_case(gp: Agency) -> None:
    user_create(actor=None, email="a@example.org", name="A", agency=gp, roles=["practitioner"])
    with pytest.raises(Conflict):
        user_create(actor=None, email="A@EXAMPLE.ORG", name="A2", agency=gp, roles=["practitioner"])


@pytest.mark.parametrize(
    ("email", "roles", "password", "field"),
    [
        ("not-an-email", ["practitioner"], None, "email"),
        ("a@example.org", [], None, "roles"),
        ("a@example.org", ["wizard"], None, "roles"),
        ("a@example.org", ["practitioner"], "short", "password"),
        ("a@example.org", ["practitioner"], "password1234", "password"),
    ],
)
def test_user_create_refuses_bad_input(
    gp: Agency, email: str, roles: list[str], password: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        user_create(actor=None, email=email, name="A Person", agency=gp, roles=roles, password=password)
    assert field in raised.value.fields
    assert not User.objects.exists()


def test_an_agency_admin_manages_only_their_own_agency(gp: Agency, police: Agency) -> None:
    admin = make_user(gp, "agency_admin")
    user_create(actor=admin, email="new@gp.example", name="New", agency=gp, roles=["practitioner"])
    with pytest.raises(PermissionDenied):
        user_create(actor=admin, email="new@police.example", name="New", agency=police, roles=["practitioner"])
    assert not User.objects.filter(email="new@police.example").exists()
    assert_audited("denied", actor=admin)


def test_membership_grant_is_idempotent(gp: Agency) -> None:
    user = make_user(gp, "practitioner")
    membership_grant(actor=None, user=user, agency=gp, role="key_worker")
    membership_grant(actor=None, user=user, agency=gp, role="key_worker")
    assert Membership.objects.filter(user=user, role="key_worker").count() == 1
    assert AuditEntry.objects.filter(object_id=str(user.uuid), action="update").count() == 1


def test_tokens_are_stored_as_digests_and_can_be_revoked(gp: Agency) -> None:
    user = make_user(gp)
    token, raw = token_issue(actor=None, user=user, name="bridge")
    assert raw.startswith("ju_") and raw not in token.digest
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert token_authenticate(raw) == user
    token_revoke(actor=None, token=token)
    assert token_authenticate(raw) is None
    assert token_authenticate("ju_made-up") is None
    assert token_authenticate("no-prefix") is None


def test_tokens_of_deactivated_users_stop_working(gp: Agency) -> None:
    user = make_user(gp)
    _, raw = token_issue(actor=None, user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert token_authenticate(raw) is None
