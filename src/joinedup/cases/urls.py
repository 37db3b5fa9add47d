from django.urls import path

from joinedup.cases import views

app_name = "cases"
urlpatterns = [
    path("cases/<uuid:case_id>", views.case_page, name="case"),
    path("cases/<uuid:case_id>/tasks/<uuid:task_id>/done", views.task_done, name="task_done"),
    path("handovers/<uuid:handover_id>/answer", views.handover_answer, name="handover_answer"),
]
