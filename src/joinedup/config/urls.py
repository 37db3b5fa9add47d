"""Every URL of the service. Each one is listed in the authorisation matrix (joinedup/access/tests)."""

from django.urls import include, path

from joinedup.core import views as core_views
from joinedup.workspace import urls as workspace_urls

urlpatterns = [
    path("", include("joinedup.core.urls")),
    path("account/", include("joinedup.accounts.urls")),
    path("account/passkeys/", include(("joinedup.accounts.passkeys", "otp_webauthn"))),
    path("", include("joinedup.incidents.urls")),
    path("", include("joinedup.workspace.urls")),
    path("", include("joinedup.portal.urls")),
    path("", include(workspace_urls.people_patterns)),
    path("", include("joinedup.risk.urls")),
    path("", include(workspace_urls.case_patterns)),
    path("", include("joinedup.referrals.urls")),
    path("", include("joinedup.harm.urls")),
    path("", include("joinedup.followup.urls")),
    path("", include("joinedup.police.urls")),
    path("", include("joinedup.insights.urls")),
    path("", include("joinedup.linkage.urls")),
    path("", include("joinedup.panels.urls")),
    path("", include("joinedup.dataprotection.urls")),
    path("", include("joinedup.keywork.urls")),
    path("api/v1/", include("joinedup.config.api_urls")),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
