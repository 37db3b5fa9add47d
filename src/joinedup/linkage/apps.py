from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "joinedup.linkage"
    label = "linkage"
    verbose_name = "Linkage"

    def ready(self) -> None:
        # Risk, referrals and the workspace sit below linkage: they ask through the people app's port, which
        # linkage fills here once every app is loaded (its selectors import models).
        from joinedup.linkage import selectors
        from joinedup.people import linked

        linked.register(
            history=selectors.linked_history,
            agencies=selectors.agencies_elsewhere,
            count=selectors.agencies_elsewhere_count,
            references=selectors.agency_references,
        )
