from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "joinedup.incidents"
    label = "incidents"
    verbose_name = "Incidents and reports"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.incidents.models import Incident, TriageItem
        from joinedup.incidents.selectors import incident_facts, triage_facts

        register(Incident, incident_facts)
        register(TriageItem, triage_facts)
