from django.urls import path

from joinedup.insights import views

app_name = "insights"
urlpatterns = [
    path("insights", views.index, name="index"),
    path("insights/needs-assessment/<str:year>", views.assessment, name="assessment"),
    path("insights/needs-assessment/<str:year>/pdf", views.assessment_pdf, name="assessment_pdf"),
    path("insights/needs-assessment/<str:year>/<str:section>", views.assessment_section, name="assessment_section"),
    path("insights/<str:slug>", views.dashboard, name="dashboard"),
    path("insights/<str:slug>/download.<str:file_format>", views.download, name="download"),
]
