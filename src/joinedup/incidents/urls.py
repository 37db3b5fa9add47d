from django.urls import path

from joinedup.incidents import views

app_name = "incidents"
urlpatterns = [
    # The public door: a person, or someone for them, with no account.
    path("report/start", views.report_start, name="report_start"),
    path("report/resume", views.report_resume, name="report_resume"),
    path("report/check", views.report_check, name="report_check"),
    path("report/done", views.report_done, name="report_done"),
    path("report/done/easy-read", views.report_done, {"easy_read": True}, name="report_done_easy_read"),
    path("report/expired", views.report_expired, name="report_expired"),
    path("report/help-now", views.report_help_now, name="report_help_now"),
    path("report/keep-alive", views.report_keep_alive, name="report_keep_alive"),
    path("report/more/help-now", views.report_help_now, {"more": True}, name="report_more_help_now"),
    path("report/more/<slug:slug>", views.report_more, name="report_more"),
    path("report/<slug:slug>", views.report_question, name="report_question"),
    # A practitioner at any point of entry.
    path("record/start", views.record_start, name="record_start"),
    path("record/<uuid:draft_id>/person", views.record_person, name="record_person"),
    path("record/<uuid:draft_id>/check", views.record_check, name="record_check"),
    path("record/<uuid:draft_id>/<slug:slug>", views.record_question, name="record_question"),
    path("incidents/<uuid:incident_id>", views.incident_detail, name="incident"),
    # The hub's queue of reports made straight to the partnership.
    path("triage", views.triage_queue, name="triage"),
    path("triage/<uuid:item_id>", views.triage_item, name="triage_item"),
]
