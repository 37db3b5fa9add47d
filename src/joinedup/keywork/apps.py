from django.apps import AppConfig


class KeyworkConfig(AppConfig):
    """Key work beyond the case page: case notes, finding a case, handing provisional cases to the hub, and joining
    accounts of one event. Separate views and templates, so the case's sub-pages can link to them."""

    name = "joinedup.keywork"
    label = "keywork"
    verbose_name = "Key work: case notes, finding a case, handing to the hub, one event"
