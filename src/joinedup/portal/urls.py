from django.urls import path

from joinedup.portal import views

app_name = "portal"
urlpatterns = [
    path("my/sign-in", views.sign_in, name="sign_in"),
    path("my/signed-out", views.signed_out, name="signed_out"),
    path("my/sign-out", views.sign_out, name="sign_out"),
    path("my", views.home, name="home"),
    path("my/what-has-happened", views.story, name="story"),
    path("my/who-looked", views.who_looked, name="who_looked"),
    path("my/agreed", views.consents, name="consents"),
    path("my/messages", views.message_list, name="messages"),
    path("my/tell-us", views.tell_us, name="tell_us"),
    path("my/safety-plan", views.plan, name="plan"),
    path("my/help-asked-for", views.referrals, name="referrals"),
    path("my/about-services", views.harm_reports, name="harm_reports"),
]
