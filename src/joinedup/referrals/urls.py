from django.urls import path

from joinedup.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/incoming", views.inbox, name="inbox"),
    path("referrals/<uuid:referral_id>", views.referral_page, name="referral"),
    path("referrals/<uuid:referral_id>/withdraw", views.withdraw, name="withdraw"),
    path("referrals/<uuid:referral_id>/complete", views.complete, name="complete"),
    path("services", views.directory, name="directory"),
    path("cases/<uuid:case_id>/refer/<uuid:service_id>", views.refer, name="refer"),
    path("cases/<uuid:case_id>/signpost/<uuid:service_id>", views.signpost, name="signpost"),
    # Known to other agencies (linkage): ask them for information, with the person's consent asked in place.
    path("cases/<uuid:case_id>/ask-for-information", views.ask, name="ask"),
]
