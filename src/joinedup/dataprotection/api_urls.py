from django.urls import path

from joinedup.dataprotection import api

urlpatterns = [
    path("people/<uuid:person_id>/subject-access", api.SubjectAccessView.as_view(), name="person-subject-access"),
    path(
        "people/<uuid:person_id>/subject-access/pdf",
        api.SubjectAccessPdfView.as_view(),
        name="person-subject-access-pdf",
    ),
]
