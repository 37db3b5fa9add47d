from django.urls import path

from joinedup.portal import api

urlpatterns = [
    path("people/<uuid:person_id>/portal-invitations", api.PortalInvitationsView.as_view(), name="portal-invitations"),
    path("people/<uuid:person_id>/portal-passkeys", api.PortalPasskeysView.as_view(), name="portal-passkeys"),
    path("my/case", api.MyCaseView.as_view(), name="my-case"),
    path("my/timeline", api.MyTimelineView.as_view(), name="my-timeline"),
    path("my/referrals", api.MyReferralsView.as_view(), name="my-referrals"),
    path("my/harm-reports", api.MyHarmReportsView.as_view(), name="my-harm-reports"),
    path("my/access-log", api.MyAccessLogView.as_view(), name="my-access-log"),
    path("my/consents", api.MyConsentsView.as_view(), name="my-consents"),
    path("my/safety-plan", api.MySafetyPlanView.as_view(), name="my-safety-plan"),
    path("my/messages", api.MyMessagesView.as_view(), name="my-messages"),
    path("my/updates", api.MyUpdatesView.as_view(), name="my-updates"),
]
