from django.urls import path

from joinedup.incidents import api

urlpatterns = [
    path("incidents", api.IncidentsView.as_view(), name="incidents"),
    path("incidents/<uuid:incident_id>", api.IncidentView.as_view(), name="incident"),
]
