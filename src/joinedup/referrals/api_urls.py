from django.urls import path

from joinedup.referrals import api

urlpatterns = [
    path("services", api.ServiceListView.as_view(), name="services"),
    path("services/<uuid:service_id>", api.ServiceView.as_view(), name="service"),
    path("openreferral/services", api.OpenReferralServicesView.as_view(), name="openreferral-services"),
    path("cases/<uuid:case_id>/suggestions", api.SuggestionsView.as_view(), name="case-suggestions"),
    path("referrals", api.ReferralsView.as_view(), name="referrals"),
    path("referrals/<uuid:referral_id>", api.ReferralView.as_view(), name="referral"),
    path("referrals/<uuid:referral_id>/accept", api.ReferralAcceptView.as_view(), name="referral-accept"),
    path("referrals/<uuid:referral_id>/decline", api.ReferralDeclineView.as_view(), name="referral-decline"),
    path("referrals/<uuid:referral_id>/withdraw", api.ReferralWithdrawView.as_view(), name="referral-withdraw"),
    path("referrals/<uuid:referral_id>/complete", api.ReferralCompleteView.as_view(), name="referral-complete"),
    path("referrals/<uuid:referral_id>/answer", api.ReferralAnswerView.as_view(), name="referral-answer"),
    path(
        "people/<uuid:person_id>/information-requests",
        api.InformationRequestsView.as_view(),
        name="person-information-requests",
    ),
]
