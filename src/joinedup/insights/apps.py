from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "joinedup.insights"
    label = "insights"
    verbose_name = "Insights for commissioners and the strategic needs assessment"
