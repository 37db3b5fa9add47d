"""/api/v1/ — every app's API routes, the OpenAPI schema and the locally served docs (no CDN)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"
urlpatterns = [
    path("", include("joinedup.accounts.api_urls")),
    path("", include("joinedup.people.api_urls")),
    path("", include("joinedup.incidents.api_urls")),
    path("", include("joinedup.risk.api_urls")),
    path("", include("joinedup.consent.api_urls")),
    path("", include("joinedup.cases.api_urls")),
    path("", include("joinedup.referrals.api_urls")),
    path("", include("joinedup.police.api_urls")),
    path("", include("joinedup.portal.api_urls")),
    path("", include("joinedup.insights.api_urls")),
    path("", include("joinedup.linkage.api_urls")),
    path("", include("joinedup.harm.api_urls")),
    path("", include("joinedup.followup.api_urls")),
    path("", include("joinedup.panels.api_urls")),
    path("", include("joinedup.dataprotection.api_urls")),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI injects inline styles as it renders; the split view already keeps its script out of line.
    # Only this developer page relaxes style-src; scripts stay nonce-only everywhere.
    path(
        "docs",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
