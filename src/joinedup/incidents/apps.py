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

        # Drafts keep what was typed for 7 days; the periodic check deletes them after that, as promised.
        from joinedup.cases.deadlines import EXTRA_CHECKS
        from joinedup.incidents.services import drafts_purge_expired

        EXTRA_CHECKS.append(lambda _today: {"expired_drafts_deleted": drafts_purge_expired()})
