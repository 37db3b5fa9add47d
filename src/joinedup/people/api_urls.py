from django.urls import path

from joinedup.people import api

urlpatterns = [
    path("people", api.PeopleView.as_view(), name="people"),
    path("people/<uuid:person_id>", api.PersonView.as_view(), name="person"),
]
