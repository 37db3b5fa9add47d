from django.urls import path

from joinedup.keywork import views

app_name = "keywork"
urlpatterns = [
    path("cases/<uuid:case_id>/notes/new", views.note_add, name="note_add"),
    path("cases/<uuid:case_id>/hand-to-hub", views.hand_to_hub, name="hand_to_hub"),
    path("my-work/find", views.search, name="search"),
    path("incidents/<uuid:incident_id>/same-event", views.same_event, name="same_event"),
]
