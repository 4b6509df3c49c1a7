"""Web pages of the planning app, mounted under /perencanaan/."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("wisn/baru/", views.wisn_edit, name="wisn_add"),
    path("wisn/<int:pk>/", views.wisn_edit, name="wisn"),
    path("norma/baru/", views.norm_add, name="norm_add"),
    path("skenario/baru/", views.scenario_add, name="scenario_add"),
    path("proyeksi/", views.projection, name="projection"),
    path("sumber-masuk/", views.entrant_sources, name="entrant_sources"),
    path("sumber-masuk/<int:pk>/hapus/", views.entrant_source_delete,
         name="entrant_source_delete"),
    path("penempatan/", views.placement, name="placement"),
    path("kepala-unit/", views.heads, name="heads"),
    path("<str:kind>/<int:pk>/hapus/", views.delete, name="delete"),
]
