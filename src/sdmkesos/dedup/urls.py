"""Web pages of the dedup app, mounted under /duplikat/."""

from django.urls import path

from . import views

app_name = "dedup"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.pair_detail, name="pair"),
    path("<int:pk>/gabung/", views.pair_confirm, name="confirm"),
    path("<int:pk>/tolak/", views.pair_reject, name="reject"),
    path("gabungan/", views.merge_list, name="merges"),
    path("proses/", views.run_start, name="run_start"),
    path("proses/<int:pk>/", views.run_detail, name="run"),
]
