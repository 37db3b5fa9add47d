from django.urls import path

from joinedup.portal import passkeys, views

app_name = "portal"
urlpatterns = [
    path("my/sign-in", views.sign_in, name="sign_in"),
    path("my/signed-out", views.signed_out, name="signed_out"),
    path("my/sign-out", views.sign_out, name="sign_out"),
    # Getting back in without asking the key worker: a new link by email, or a passkey alone.
    path("my/new-link", views.new_link, name="new_link"),
    path("my/new-link/sent", views.new_link_sent, name="new_link_sent"),
    path("my/passkey/sign-in/begin", passkeys.PasskeySignInBegin.as_view(), name="passkey_sign_in_begin"),
    path("my/passkey/sign-in/complete", passkeys.PasskeySignInComplete.as_view(), name="passkey_sign_in_complete"),
    path("my/passkey/words.js", passkeys.PasskeyWords.as_view(), name="passkey_words"),
    path("my/passkeys", views.passkeys, name="passkeys"),
    path("my/passkey-check", views.passkey_check, name="passkey_check"),
    path("my", views.home, name="home"),
    path("my/what-has-happened", views.story, name="story"),
    path("my/who-looked", views.who_looked, name="who_looked"),
    path("my/agreed", views.consents, name="consents"),
    path("my/agree", views.agree, name="agree"),
    path("my/agree/<slug:slug>", views.agree_who, name="agree_who"),
    path("my/messages", views.message_list, name="messages"),
    path("my/tell-us", views.tell_us, name="tell_us"),
    path("my/safety-plan", views.plan, name="plan"),
    path("my/help-asked-for", views.referrals, name="referrals"),
    path("my/about-services", views.harm_reports, name="harm_reports"),
]
