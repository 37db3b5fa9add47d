from django.apps import AppConfig


class PortalConfig(AppConfig):
    """ "My support": the person's own place — their case, plan, messages and who looked — through the one door."""

    name = "joinedup.portal"
    label = "portal"
    verbose_name = "The person's own place"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's app registry: models can be imported only once every app is loaded.
        from joinedup.access.decision import ACTOR_PEOPLE
        from joinedup.accounts.api import ME_EXTRAS
        from joinedup.portal.selectors import own_people, person_of_me

        ACTOR_PEOPLE.append(own_people)
        ME_EXTRAS.append(person_of_me)
