from django.urls import path

from joinedup.accounts import api

urlpatterns = [
    path("me", api.MeView.as_view(), name="me"),
    path("agencies", api.AgencyListView.as_view(), name="agency-list"),
    path("users", api.UserListView.as_view(), name="user-list"),
]
