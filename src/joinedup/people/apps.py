from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "joinedup.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.people.models import Person
        from joinedup.people.selectors import person_facts

        register(Person, person_facts)
