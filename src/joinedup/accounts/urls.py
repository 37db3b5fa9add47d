from django.urls import path

from joinedup.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-out", views.sign_out, name="sign_out"),
    path("signed-out", views.signed_out, name="signed_out"),
]
