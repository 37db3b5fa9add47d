from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "joinedup.insights"
    label = "insights"
    verbose_name = "Insights for commissioners and the strategic needs assessment"

    def ready(self) -> None:
        # Django's app registry: harm's selectors import its models. Insights sits above harm, so it asks harm for
        # its counts (counts only) rather than harm reaching up.
        from joinedup.harm.selectors import insights_counts
        from joinedup.insights import providers

        providers.register("harm", insights_counts)
