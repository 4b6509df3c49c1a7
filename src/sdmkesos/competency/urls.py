"""Web pages of the competency app, mounted under /kompetensi/."""

from django.urls import path

from . import views

app_name = "competency"

urlpatterns = [
    path("", views.dictionary, name="dictionary"),
    path("baru/", views.competency_form, name="create"),
    path("standar/", views.standard_list, name="standards"),
    path("standar/baru/", views.standard_form, name="standard_create"),
    path("standar/<str:code>/", views.standard_detail, name="standard"),
    path("standar/<str:code>/ubah/", views.standard_form, name="standard_edit"),
    path("kesenjangan/", views.gap_report, name="gaps"),
    path("kesenjangan/ekspor.<str:fmt>", views.gap_export, name="gaps_export"),
    path("saya/", views.my_profile, name="me"),
    path("pekerja/<int:pk>/", views.person_profile, name="person"),
    path("pekerja/<int:pk>/penilaian/", views.assessment_add, name="assessment_add"),
    path("pekerja/<int:pk>/penilaian/<int:assessment_pk>/batal/", views.assessment_void,
         name="assessment_void"),
    path("k/<str:code>/", views.competency_detail, name="detail"),
    path("k/<str:code>/ubah/", views.competency_form, name="edit"),
    path("k/<str:code>/level/<int:level>/", views.level_form, name="level"),
]
