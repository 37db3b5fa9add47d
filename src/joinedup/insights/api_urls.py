from django.urls import path

from joinedup.insights import api

urlpatterns = [
    path("insights/<str:dashboard>", api.InsightsView.as_view(), name="insights-dashboard"),
]
