"""The person's new sign-in link, looked up and sent in the background: the page that asked answers at once and
the same way whatever happens here (services.new_link_request)."""

from __future__ import annotations

from django_tasks import task

from joinedup.portal.services import new_link_send


@task()
def send_new_link(*, email: str, site_url: str) -> int:
    return new_link_send(email=email, site_url=site_url)
