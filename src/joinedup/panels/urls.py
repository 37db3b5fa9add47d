from django.urls import path

from joinedup.panels import views

app_name = "panels"
urlpatterns = [
    path("cases/<uuid:case_id>/panel-referral", views.refer, name="refer"),
    path("panels", views.panels, name="panels"),
    path("panels/new", views.panel_new, name="new"),
    path("panels/<uuid:panel_id>/setup", views.panel_setup, name="setup"),
    path("panels/<uuid:panel_id>", views.panel, name="panel"),
    path("panels/<uuid:panel_id>/measures", views.measures, name="measures"),
    path("meetings/<uuid:meeting_id>", views.meeting, name="meeting"),
    path("meetings/<uuid:meeting_id>/papers.pdf", views.papers, name="papers"),
    path("panel-actions", views.actions, name="actions"),
    path("panel-actions/<uuid:action_id>/complete", views.action_complete, name="action_complete"),
    path("panel-referrals/<uuid:panel_referral_id>/review", views.review, name="review"),
    path("panel-referrals/<uuid:panel_referral_id>/close", views.close, name="close"),
    path("panel-referrals/<uuid:panel_referral_id>/voice", views.voice, name="voice"),
]
