from django.urls import path

from joinedup.linkage import api

urlpatterns = [
    path("people/<uuid:person_id>/links", api.PersonLinksView.as_view(), name="person-links"),
    path("linkage/reviews", api.ReviewQueueView.as_view(), name="linkage-reviews"),
    path("linkage/reviews/<uuid:review_id>/confirm", api.ReviewConfirmView.as_view(), name="linkage-review-confirm"),
    path("linkage/reviews/<uuid:review_id>/reject", api.ReviewRejectView.as_view(), name="linkage-review-reject"),
    path("linkage/status", api.LinkageStatusView.as_view(), name="linkage-status"),
]
