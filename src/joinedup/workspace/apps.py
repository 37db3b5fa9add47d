from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """A key worker's workspace beyond the case page: case notes, finding a case, and handing provisional cases to
    the hub. Separate views and templates, so the case's sub-pages can link to them."""

    name = "joinedup.workspace"
    label = "workspace"
    verbose_name = "Workspace: case notes, search and handing over to the hub"
