from django.urls import path

from joinedup.police import api

urlpatterns = [
    path("cases/<uuid:case_id>/police-reports", api.CasePoliceReportsView.as_view(), name="case-police-reports"),
    path("police-reports/<uuid:report_id>", api.PoliceReportView.as_view(), name="police-report"),
    path("police-reports/<uuid:report_id>/pdf", api.PoliceReportPdfView.as_view(), name="police-report-pdf"),
    path(
        "police-reports/<uuid:report_id>/crime-reference",
        api.CrimeReferenceView.as_view(),
        name="police-report-crime-reference",
    ),
    path("police-reports/<uuid:report_id>/non-crime", api.NonCrimeView.as_view(), name="police-report-non-crime"),
    path("police-reports/<uuid:report_id>/outcome", api.OutcomeView.as_view(), name="police-report-outcome"),
    path("police-reports/<uuid:report_id>/evidence", api.EvidenceView.as_view(), name="police-report-evidence"),
    path("people/<uuid:person_id>/victims-code", api.VictimsCodeView.as_view(), name="person-victims-code"),
]
