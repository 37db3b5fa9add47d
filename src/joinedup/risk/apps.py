from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "joinedup.risk"
    label = "risk"
    verbose_name = "Risk identification"
