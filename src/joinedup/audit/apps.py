from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "joinedup.audit"
    label = "audit"
    verbose_name = "Audit trail"
