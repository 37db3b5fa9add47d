from django.urls import path

from joinedup.police import views

app_name = "police"
urlpatterns = [
    path("cases/<uuid:case_id>/police-report", views.report_create, name="create"),
    path("police-reports/<uuid:report_id>", views.report_page, name="report"),
    path("police-reports/<uuid:report_id>/pdf", views.report_pdf, name="pdf"),
    path("police-reports/<uuid:report_id>/rights/<int:number>", views.right_met, name="right"),
    path("police-reports/<uuid:report_id>/update", views.update_given, name="update"),
    path("police/inbox", views.inbox, name="inbox"),
]
