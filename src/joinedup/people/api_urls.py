from django.urls import path

from joinedup.people import api
from joinedup.risk import api as risk_api

urlpatterns = [
    path("people", api.PeopleView.as_view(), name="people"),
    path("people/<uuid:person_id>", api.PersonView.as_view(), name="person"),
    path("people/<uuid:person_id>/contacts", api.PersonContactsView.as_view(), name="person-contacts"),
    path("people/<uuid:person_id>/risk", risk_api.RiskView.as_view(), name="person-risk"),
    path("people/<uuid:person_id>/risk/judgement", risk_api.RiskJudgementView.as_view(), name="person-risk-judgement"),
]
