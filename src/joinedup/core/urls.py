from django.urls import path

from joinedup.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
    path("cookies", views.cookies, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    path("exit", views.exit_page, name="exit"),
    path("cover-your-tracks", views.cover_your_tracks, name="cover_your_tracks"),
    path("easy-read", views.easy_read, name="easy_read"),
    path("bench/bare", views.bench_bare, name="bench_bare"),
    path("readyz", views.readyz, name="readyz"),
]
