"""factory_boy factories (en_GB) for the partnership. They write to the ORM directly: test set-up, not
behaviour under test, so they skip the audited services on purpose."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from joinedup.accounts.models import Agency, Membership, User
from joinedup.core.domain.partnership import DEFAULT_ENTRY_POINT, AgencyKind

factory.Faker._DEFAULT_LOCALE = "en_GB"

TEST_PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = "adult_social_care"
    area = "Eastmere"
    default_setting = factory.LazyAttribute(lambda o: (DEFAULT_ENTRY_POINT[AgencyKind(o.kind)] or ("", ""))[0])
    default_need = factory.LazyAttribute(lambda o: (DEFAULT_ENTRY_POINT[AgencyKind(o.kind)] or ("", ""))[1])


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


def make_user(agency: Agency, *roles: str, **fields: object) -> User:
    user = UserFactory.create(**fields)
    for role in roles or ("practitioner",):
        Membership.objects.create(user=user, agency=agency, role=role)
    return user
