from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "joinedup.risk"
    label = "risk"
    verbose_name = "Risk identification"

    def ready(self) -> None:
        # Django's app registry: services import models, importable only once every app is loaded.
        from joinedup.incidents.services import JOINED_TO_STORY
        from joinedup.risk.services import reassess_after_recording

        JOINED_TO_STORY.append(reassess_after_recording)
