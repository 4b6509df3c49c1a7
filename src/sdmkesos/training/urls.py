"""Web pages of the training app, mounted under /pelatihan/."""

from django.urls import path

from . import plan_views, views

app_name = "training"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("angkatan/baru/", views.batch_form, name="batch_create"),
    path("angkatan/<int:pk>/", views.batch_detail, name="batch"),
    path("angkatan/<int:pk>/ubah/", views.batch_form, name="batch_edit"),
    path("angkatan/<int:pk>/usulkan/", views.nominate, name="nominate"),
    path("angkatan/<int:pk>/sesi/", views.session_add, name="session_add"),
    path("angkatan/<int:pk>/pengajar/", views.trainer_add, name="trainer_add"),
    path("sesi/<int:pk>/presensi/", views.attendance, name="attendance"),
    path("peserta/<int:pk>/hasil/", views.nomination_result, name="result"),
    path("peserta/<int:pk>/umpan-balik/", views.feedback, name="feedback"),
    path("peserta/<int:pk>/<str:step>/", views.nomination_step, name="step"),
    path("program/", views.programme_list, name="programmes"),
    path("program/baru/", views.programme_form, name="programme_create"),
    path("program/<str:code>/", views.programme_detail, name="programme"),
    path("program/<str:code>/ubah/", views.programme_form, name="programme_edit"),
    path("pengajar/", views.trainer_list, name="trainers"),
    path("pengajar/<int:pk>/", views.trainer_detail, name="trainer"),
    path("tempat/", views.venue_list, name="venues"),
    path("beasiswa/", views.scheme_list, name="schemes"),
    path("beasiswa/<int:pk>/", views.scheme_detail, name="scheme"),
    path("beasiswa/penerima/<int:pk>/status/", views.scholar_status, name="scholar_status"),
    path("praktik/", views.placement_list, name="placements"),
    path("rencana/", plan_views.plan_list, name="plans"),
    path("rencana/baru/", plan_views.plan_create, name="plan_create"),
    path("rencana/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("rencana/<int:pk>/kemajuan/", plan_views.plan_progress, name="plan_progress"),
    path("rencana/<int:pk>/rencana.json", plan_views.plan_json, name="plan_json"),
    path("rencana/<int:pk>/terima/", plan_views.plan_accept, name="plan_accept"),
    path("saya/", views.my_history, name="me"),
    path("pekerja/<int:pk>/", views.person_history, name="person"),
]
