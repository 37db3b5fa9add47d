from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Pages that show several apps at once — the case in sub-pages, the person's page, My work — composed from
    each app's selectors and presenters. The top of the house: nothing imports it."""

    name = "joinedup.workspace"
    label = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
