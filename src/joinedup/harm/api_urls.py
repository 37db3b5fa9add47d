from django.urls import path

from joinedup.harm import api

urlpatterns = [
    path("harm-reports", api.HarmReportsView.as_view(), name="harm-reports"),
    path("harm-reports/<uuid:report_id>", api.HarmReportView.as_view(), name="harm-report"),
    path("harm-reports/<uuid:report_id>/transition", api.HarmReportTransitionView.as_view(), name="harm-transition"),
    path("harm-reports/<uuid:report_id>/messages", api.HarmReportMessagesView.as_view(), name="harm-messages"),
    path("harm-measures", api.HarmMeasuresView.as_view(), name="harm-measures"),
]
