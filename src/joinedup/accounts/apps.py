from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "joinedup.accounts"
    label = "accounts"
    verbose_name = "Agencies and accounts"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.access.domain.policy import SubjectFacts
        from joinedup.accounts.models import Agency, User

        register(
            Agency,
            lambda agency: SubjectFacts(
                kind="agency", agency_ids=frozenset({agency.pk}), lead_partner=agency.is_lead_partner
            ),
        )
        register(
            User,
            lambda user: SubjectFacts(
                kind="user",
                user_id=user.pk,
                agency_ids=frozenset(user.memberships.values_list("agency_id", flat=True)),
            ),
        )
