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

        # An anonymous reporter's way back to the hub's questions (the follow-up app sits below and calls back).
        from joinedup.followup.registry import Door
        from joinedup.followup.registry import register as register_door
        from joinedup.incidents.services import (
            FOLLOW_UP_KIND,
            triage_item_of,
            triage_keep_way_back,
            triage_named_by_reporter,
            triage_told_of_answers,
        )

        register_door(
            Door(
                kind=FOLLOW_UP_KIND,
                subject_of=triage_item_of,
                read_action="triage.view",
                ask_action="triage.resolve",
                page_of=lambda item: f"/triage/{item.uuid}",
                told_of_answers=triage_told_of_answers,
                open_for=lambda item_uuid, passphrase: triage_keep_way_back(item_uuid=item_uuid, passphrase=passphrase),
                become_named=lambda item, named: triage_named_by_reporter(item=item, named=named),
                asks_who=False,
                words="report",
            )
        )
