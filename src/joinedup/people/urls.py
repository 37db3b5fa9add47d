from django.urls import path

from joinedup.consent import views as consent_views
from joinedup.people import views

app_name = "people"
urlpatterns = [
    path("people/<uuid:person_id>", views.person_page, name="person"),
    path("people/<uuid:person_id>/consent", consent_views.consent_page, name="consent"),
    path(
        "people/<uuid:person_id>/consent/<uuid:consent_id>/withdraw",
        consent_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<uuid:person_id>/sharing-decision", consent_views.sharing_page, name="sharing"),
    path("people/<uuid:person_id>/access-log", consent_views.access_log_page, name="access_log"),
]
