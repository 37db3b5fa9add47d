"""Background work that must not slow a request or be lost if mail is down: django-tasks, database backend."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_staff_email(*, to: str, subject: str, body: str) -> int:
    """E-mail to a practitioner about their work. Never to a person harmed: their contact goes through the safe
    contact rules."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


@task()
def send_person_email(*, to: str, subject: str, body: str) -> int:
    """E-mail to a person harmed. Only ever enqueued by consent.contact.contact_attempt, after the safe-contact
    rules allowed e-mail to them. From a neutral name (PERSON_FROM_EMAIL), never the service's own."""
    return send_mail(subject, body, settings.PERSON_FROM_EMAIL, [to], fail_silently=False)
