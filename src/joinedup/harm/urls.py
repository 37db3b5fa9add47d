from django.urls import path

from joinedup.harm import views

app_name = "harm"
urlpatterns = [
    path("tell-us-a-service-harmed-you", views.tell, name="tell"),
    path("tell-us-a-service-harmed-you/sent", views.sent, name="sent"),
    path("harm/reports", views.inbox, name="inbox"),
    path("harm/reports/<uuid:report_id>", views.report_page, name="report"),
    path("harm/measures", views.measures, name="measures"),
]
