from django.apps import AppConfig


class PoliceConfig(AppConfig):
    name = "joinedup.police"
    label = "police"
    verbose_name = "Reporting to the police and the Victims' Code"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.police.models import PoliceReport
        from joinedup.police.services import report_facts

        register(PoliceReport, report_facts)
