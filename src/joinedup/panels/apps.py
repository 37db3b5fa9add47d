from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "joinedup.panels"
    label = "panels"
    verbose_name = "Multi-agency risk conference"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.cases import deadlines
        from joinedup.incidents.services import JOINED_TO_STORY
        from joinedup.panels import services
        from joinedup.panels.models import Action, Meeting, Minutes, Panel, PanelReferral

        register(Panel, services.panel_facts)
        register(Meeting, services.meeting_facts)
        register(PanelReferral, services.panel_referral_facts)
        register(Minutes, services.minutes_facts)
        register(Action, services.action_facts)
        # Overdue panel actions escalate with the task checks; a new incident after a panel referral is a repeat.
        deadlines.EXTRA_CHECKS.append(services.panel_actions_deadlines_check)
        JOINED_TO_STORY.append(services.repeat_prompt)
