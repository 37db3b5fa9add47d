from django.apps import AppConfig


class FollowUpConfig(AppConfig):
    name = "joinedup.followup"
    label = "followup"
    verbose_name = "Anonymous follow-up"
