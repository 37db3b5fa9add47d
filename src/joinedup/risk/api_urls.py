from django.urls import path

from joinedup.risk import api

urlpatterns = [
    path("people/<uuid:person_id>/risk", api.RiskView.as_view(), name="person-risk"),
    path("people/<uuid:person_id>/risk/judgement", api.RiskJudgementView.as_view(), name="person-risk-judgement"),
]
