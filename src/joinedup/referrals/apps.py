from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "joinedup.referrals"
    label = "referrals"
    verbose_name = "Service directory and referrals"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.cases import deadlines, work
        from joinedup.referrals.models import Referral
        from joinedup.referrals.services import referral_facts

        register(Referral, referral_facts)
        from joinedup.referrals.services import open_referrals_for_case, referral_deadlines_check

        # A case cannot close with referrals open, and overdue referrals escalate with the task checks.
        work.OPEN_ITEM_CHECKS.append(open_referrals_for_case)
        deadlines.EXTRA_CHECKS.append(referral_deadlines_check)
        from joinedup.consent import directory
        from joinedup.referrals.selectors import service_recipient, service_recipients

        # Consent (a lower layer) names directory services through this port, never by importing referrals.
        directory.register(find=service_recipient, listed=service_recipients)
