from django.urls import path

from joinedup.followup import views

app_name = "followup"
urlpatterns = [
    # Straight after an anonymous report, from the same browser: choose a passphrase.
    path("keep-a-way-back", views.keep, name="keep"),
    path("keep-a-way-back/kept", views.kept, name="kept"),
    # Coming back later, from anywhere, with the reference and the passphrase.
    path("check-for-a-reply", views.check, name="check"),
    path("check-for-a-reply/messages", views.messages, name="messages"),
    path("check-for-a-reply/give-your-name", views.named, name="named"),
]
