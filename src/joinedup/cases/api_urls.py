from django.urls import path

from joinedup.cases import api

urlpatterns = [
    path("cases", api.CaseListView.as_view(), name="cases"),
    path("cases/<uuid:case_id>", api.CaseView.as_view(), name="case"),
    path("cases/<uuid:case_id>/timeline", api.TimelineView.as_view(), name="case-timeline"),
    path("cases/<uuid:case_id>/handover", api.HandoverView.as_view(), name="case-handover"),
    path("cases/<uuid:case_id>/tasks", api.TasksView.as_view(), name="case-tasks"),
    path("cases/<uuid:case_id>/close", api.CloseView.as_view(), name="case-close"),
    path("cases/<uuid:case_id>/safety-plan", api.SafetyPlanView.as_view(), name="case-safety-plan"),
    path("cases/<uuid:case_id>/safety-plan/pdf", api.SafetyPlanPdfView.as_view(), name="case-safety-plan-pdf"),
    path("handovers/<uuid:handover_id>/accept", api.HandoverAcceptView.as_view(), name="handover-accept"),
    path("handovers/<uuid:handover_id>/decline", api.HandoverDeclineView.as_view(), name="handover-decline"),
    path("tasks/<uuid:task_id>/complete", api.TaskCompleteView.as_view(), name="task-complete"),
]
