from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "joinedup.cases"
    label = "cases"
    verbose_name = "Cases and the timeline"

    def ready(self) -> None:
        # Django's app registry: models can be imported only once every app is loaded.
        from joinedup.access.decision import register
        from joinedup.accounts.services import DEACTIVATION_CHECKS
        from joinedup.cases.models import Case
        from joinedup.cases.selectors import person_facts
        from joinedup.cases.services import open_cases_held
        from joinedup.cases.work import case_facts
        from joinedup.people.models import Person

        register(Person, person_facts)
        register(Case, case_facts)
        DEACTIVATION_CHECKS.append(open_cases_held)
