from django.apps import AppConfig


class HarmConfig(AppConfig):
    name = "joinedup.harm"
    label = "harm"
    verbose_name = "Complaints and avoidable harm"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.cases import deadlines
        from joinedup.harm.models import HarmReport
        from joinedup.harm.services import harm_deadlines_check, harm_report_facts

        register(HarmReport, harm_report_facts)
        # Overdue acknowledgements, updates and responses escalate with the other deadline checks.
        deadlines.EXTRA_CHECKS.append(harm_deadlines_check)
