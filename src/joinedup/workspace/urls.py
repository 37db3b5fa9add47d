"""The workspace's pages. The case and the person keep their URL names ("cases:…", "people:…"): they are the
same pages partner links and bookmarks have always used, now composed here."""

from django.urls import path

from joinedup.consent import views as consent_views
from joinedup.workspace import views, work

app_name = "workspace"
urlpatterns = [
    path("my-work", work.my_work, name="my_work"),
]

case_patterns = (
    [
        path("cases/<uuid:case_id>", views.case_summary, name="case"),
        path("cases/<uuid:case_id>/story", views.case_story, name="story"),
        path("cases/<uuid:case_id>/support", views.case_support, name="support"),
        path("cases/<uuid:case_id>/risk", views.case_risk, name="risk"),
        path("cases/<uuid:case_id>/sharing", views.case_sharing, name="sharing"),
        path("cases/<uuid:case_id>/police", views.case_police, name="police"),
        path("cases/<uuid:case_id>/tasks", views.case_tasks, name="tasks"),
        path("cases/<uuid:case_id>/tasks/new", views.task_new, name="task_new"),
        path("cases/<uuid:case_id>/tasks/<uuid:task_id>/done", views.task_done, name="task_done"),
        path("cases/<uuid:case_id>/contacts/new", views.contact_new, name="contact_new"),
        path("cases/<uuid:case_id>/handover", views.handover_new, name="handover"),
        path("cases/<uuid:case_id>/wants", views.wants_edit, name="wants"),
        path("cases/<uuid:case_id>/close", views.case_close, name="close"),
        path("cases/<uuid:case_id>/safety-plan", views.case_plan, name="plan"),
        path("cases/<uuid:case_id>/safety-plan/pdf", views.case_plan_pdf, name="plan_pdf"),
        path("cases/<uuid:case_id>/messages", views.case_messages, name="messages"),
        path("handovers/<uuid:handover_id>/answer", views.handover_answer, name="handover_answer"),
    ],
    "cases",
)

people_patterns = (
    [
        path("people/<uuid:person_id>", work.person_page, name="person"),
        path("people/<uuid:person_id>/consent", consent_views.consent_page, name="consent"),
        path(
            "people/<uuid:person_id>/consent/<uuid:consent_id>/withdraw",
            consent_views.consent_withdraw,
            name="consent_withdraw",
        ),
        path("people/<uuid:person_id>/sharing-decision", consent_views.sharing_page, name="sharing"),
        path("people/<uuid:person_id>/access-log", consent_views.access_log_page, name="access_log"),
    ],
    "people",
)
