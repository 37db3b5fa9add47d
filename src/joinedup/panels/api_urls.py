from django.urls import path

from joinedup.panels import api

urlpatterns = [
    path("panels", api.PanelsView.as_view(), name="panels"),
    path("panels/<uuid:panel_id>", api.PanelView.as_view(), name="panel"),
    path("panels/<uuid:panel_id>/meetings", api.PanelMeetingsView.as_view(), name="panel-meetings"),
    path("panel-referrals", api.PanelReferralsView.as_view(), name="panel-referrals"),
    path("panel-referrals/<uuid:panel_referral_id>", api.PanelReferralView.as_view(), name="panel-referral"),
    path(
        "panel-referrals/<uuid:panel_referral_id>/actions",
        api.PanelReferralActionsView.as_view(),
        name="panel-referral-actions",
    ),
    path(
        "panel-referrals/<uuid:panel_referral_id>/close",
        api.PanelReferralCloseView.as_view(),
        name="panel-referral-close",
    ),
    path(
        "panel-referrals/<uuid:panel_referral_id>/voice",
        api.PanelReferralVoiceView.as_view(),
        name="panel-referral-voice",
    ),
    path("meetings/<uuid:meeting_id>", api.MeetingView.as_view(), name="meeting"),
    path("meetings/<uuid:meeting_id>/agenda", api.MeetingAgendaView.as_view(), name="meeting-agenda"),
    path("meetings/<uuid:meeting_id>/research", api.MeetingResearchView.as_view(), name="meeting-research"),
    path("meetings/<uuid:meeting_id>/minutes", api.MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("actions/<uuid:action_id>/complete", api.ActionCompleteView.as_view(), name="action-complete"),
]
