from django.urls import path

from joinedup.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-out", views.sign_out, name="sign_out"),
    path("signed-out", views.signed_out, name="signed_out"),
    path("second-factor", views.second_factor, name="second_factor"),
    path("second-factor/set-up", views.second_factor_set_up, name="second_factor_set_up"),
    path("second-factor/recovery-codes", views.recovery_codes, name="recovery_codes"),
    path("security", views.security, name="security"),
    path("password", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent", views.PasswordResetSentView.as_view(), name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
