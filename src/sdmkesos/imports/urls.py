"""Web pages of the imports app, mounted under /impor/."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("unggah/", views.upload, name="upload"),
    path("pemetaan/", views.mappings, name="mappings"),
    path("templat/<str:kind>.xlsx", views.template, name="template"),
    path("ekspor/pekerja/", views.export, name="export"),
    path("<uuid:job_id>/", views.job_detail, name="job"),
    path("<uuid:job_id>/pemetaan/", views.mapping, name="mapping"),
    path("<uuid:job_id>/progres/", views.job_progress, name="progress"),
    path("<uuid:job_id>/laporan.xlsx", views.job_report, name="report"),
]
