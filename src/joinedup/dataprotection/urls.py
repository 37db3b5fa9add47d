from django.urls import path

from joinedup.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("people/<uuid:person_id>/subject-access", views.subject_access_page, name="subject_access"),
    path(
        "people/<uuid:person_id>/subject-access.json",
        views.subject_access_download,
        {"kind": "json"},
        name="subject_access_json",
    ),
    path(
        "people/<uuid:person_id>/subject-access.pdf",
        views.subject_access_download,
        {"kind": "pdf"},
        name="subject_access_pdf",
    ),
]
