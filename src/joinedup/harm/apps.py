from django.apps import AppConfig


class HarmConfig(AppConfig):
    name = "joinedup.harm"
    label = "harm"
    verbose_name = "Complaints and avoidable harm"

    def ready(self) -> None:
        from joinedup.access.decision import register
        from joinedup.cases import deadlines
        from joinedup.harm.models import HarmReport
        from joinedup.harm.services import harm_deadlines_check, harm_report_facts

        register(HarmReport, harm_report_facts)
        # Overdue acknowledgements, updates and responses escalate with the other deadline checks.
        deadlines.EXTRA_CHECKS.append(harm_deadlines_check)

        # Someone who tells us anonymously may keep a way back: the follow-up app (below) calls back here.
        from joinedup.followup.registry import Door
        from joinedup.followup.registry import register as register_door
        from joinedup.harm.services import (
            FOLLOW_UP_KIND,
            harm_keep_way_back,
            harm_named_by_reporter,
            harm_report_of,
            harm_told_of_answers,
        )

        register_door(
            Door(
                kind=FOLLOW_UP_KIND,
                subject_of=harm_report_of,
                read_action="harm_report.view",
                ask_action="harm_report.respond",
                page_of=lambda report: f"/harm/reports/{report.uuid}",
                told_of_answers=harm_told_of_answers,
                open_for=lambda report_uuid, passphrase: harm_keep_way_back(
                    report_uuid=report_uuid, passphrase=passphrase
                ),
                become_named=lambda report, named: harm_named_by_reporter(report=report, named=named),
                asks_who=True,
                words="report",
            )
        )
