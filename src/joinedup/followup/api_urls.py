from django.urls import path

from joinedup.followup import api

urlpatterns = [
    path("public/follow-up", api.FollowUpView.as_view(), name="public-follow-up"),
    path("public/follow-up/messages", api.FollowUpMessagesView.as_view(), name="public-follow-up-messages"),
    path("public/follow-up/named", api.FollowUpNamedView.as_view(), name="public-follow-up-named"),
]
