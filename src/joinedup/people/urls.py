from django.urls import path

from joinedup.people import views

app_name = "people"
urlpatterns = [
    path("people/<uuid:person_id>", views.person_page, name="person"),
]
