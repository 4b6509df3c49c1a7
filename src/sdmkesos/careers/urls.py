"""Web pages of the careers app, mounted under /karier/."""

from django.urls import path

from . import views

app_name = "careers"

urlpatterns = [
    path("", views.index, name="index"),
    path("aturan/jenjang/<str:code>/", views.level_edit, name="level_edit"),
    path("saya/", views.my_career, name="me"),
    path("pekerja/<int:pk>/", views.person_career, name="person"),
    path("pekerja/<int:pk>/jabatan/tambah/", views.position_add, name="position_add"),
    path("pekerja/<int:pk>/jabatan/<int:position_pk>/ubah/", views.position_edit,
         name="position_edit"),
    path("pekerja/<int:pk>/jabatan/<int:position_pk>/angka-kredit/", views.credit_add,
         name="credit_add"),
    path("pekerja/<int:pk>/skp/baru/", views.skp_create, name="skp_create"),
    path("pekerja/<int:pk>/tindak-lanjut/", views.gap_follow_up, name="gap_follow_up"),
    path("kenaikan/", views.eligibility, name="eligibility"),
    path("pensiun/", views.retirement, name="retirement"),
    path("skp/", views.skp_list, name="skp_list"),
    path("skp/bukti/<int:pk>/", views.skp_evidence, name="skp_evidence"),
    path("skp/<int:pk>/", views.skp_detail, name="skp"),
    path("skp/<int:pk>/<str:which>/", views.skp_action, name="skp_action"),
]
