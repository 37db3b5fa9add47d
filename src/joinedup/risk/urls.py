from django.urls import path

from joinedup.risk import views

app_name = "risk"
urlpatterns = [path("risk/thresholds", views.thresholds, name="thresholds")]
