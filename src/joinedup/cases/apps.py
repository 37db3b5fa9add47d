from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "joinedup.cases"
    label = "cases"
    verbose_name = "Cases and the timeline"
