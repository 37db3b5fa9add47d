from django.urls import path

from joinedup.consent import api

urlpatterns = [
    path("consents", api.ConsentsView.as_view(), name="consents"),
    path("consents/<uuid:consent_id>/withdraw", api.ConsentWithdrawView.as_view(), name="consent-withdraw"),
    path("sharing-decisions", api.SharingDecisionsView.as_view(), name="sharing-decisions"),
    path("people/<uuid:person_id>/consents", api.PersonConsentsView.as_view(), name="person-consents"),
    path("people/<uuid:person_id>/access-log", api.AccessLogView.as_view(), name="person-access-log"),
    path("people/<uuid:person_id>/contacts", api.PersonContactsView.as_view(), name="person-contacts"),
]
