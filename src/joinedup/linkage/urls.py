from django.urls import path

from joinedup.linkage import views

app_name = "linkage"
urlpatterns = [
    path("linkage/reviews", views.review_queue, name="reviews"),
    path("linkage/reviews/<uuid:review_id>", views.review, name="review"),
    path("linkage", views.linkage_status, name="status"),
]
