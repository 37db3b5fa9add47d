from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People and the agencies that know them. A person's access facts also need who holds their case, so the
    cases app (above people) registers them with the access decision point."""

    name = "joinedup.people"
    label = "people"
    verbose_name = "People"
