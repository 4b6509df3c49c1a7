from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("saya/", views.me, name="me"),
    path("baru/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/ubah/", views.person_edit, name="edit"),
    path("<int:pk>/hapus/", views.person_delete, name="delete"),
    path("<int:pk>/pendidikan/tambah/", views.education_add, name="education_add"),
    path(
        "<int:pk>/pendidikan/<int:record_pk>/hapus/",
        views.education_delete,
        name="education_delete",
    ),
    path("<int:pk>/pekerjaan/tambah/", views.employment_add, name="employment_add"),
    path("<int:pk>/pekerjaan/<int:record_pk>/akhiri/", views.employment_end, name="employment_end"),
]
