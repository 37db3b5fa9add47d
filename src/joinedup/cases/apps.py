from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "joinedup.cases"
    label = "cases"
    verbose_name = "Cases and the timeline"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.cases.models import Case
        from joinedup.cases.work import case_facts

        register(Case, case_facts)
