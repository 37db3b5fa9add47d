from django.urls import path

from joinedup.harm import views

app_name = "harm"
urlpatterns = [
    path("tell-us-a-service-harmed-you", views.tell, name="tell"),
    path("tell-us-a-service-harmed-you/sent", views.sent, name="sent"),
    # The speaking-up line: staff and others worried about a service, anonymous if they wish.
    path("raise-a-concern-about-a-service", views.tell, {"speaking_up": True}, name="speak_up"),
    path("harm/reports", views.inbox, name="inbox"),
    path("harm/reports/<uuid:report_id>", views.report_page, name="report"),
    path("harm/measures", views.measures, name="measures"),
]
