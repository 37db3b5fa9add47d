from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "joinedup.consent"
    label = "consent"
    verbose_name = "Consent and sharing"

    def ready(self) -> None:
        # Django's app registry: services import models, importable only once every app is loaded.
        from joinedup.cases.work import SHARING_COVER
        from joinedup.consent.services import shares_with_agency

        SHARING_COVER.append(shares_with_agency)
