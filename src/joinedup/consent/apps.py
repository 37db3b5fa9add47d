from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "joinedup.consent"
    label = "consent"
    verbose_name = "Consent and sharing"
