"""Web pages of the certification app, mounted under /sertifikasi/."""

from django.urls import path

from . import views

app_name = "certification"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("laporan/", views.report, name="report"),
    path("sertifikat/<int:pk>/", views.certificate_detail, name="certificate"),
    path("sertifikat/<int:pk>/pdf", views.certificate_pdf, name="certificate_pdf"),
    path("sertifikat/<int:pk>/json", views.certificate_json, name="certificate_json"),
    path("sertifikat/<int:pk>/<str:verb>", views.certificate_action, name="certificate_action"),
    path("permohonan/baru/", views.application_new, name="application_new"),
    path("permohonan/<int:pk>/", views.application_detail, name="application"),
    path("asesor/baru/", views.assessor_new, name="assessor_new"),
    path("registrasi/baru/", views.registration_new, name="registration_new"),
    path("uji/", views.events, name="events"),
    path("uji/<int:pk>/", views.event_detail, name="event"),
    path("bukti/<int:pk>", views.evidence_download, name="evidence"),
    path("skema/", views.schemes, name="schemes"),
    path("skema/<str:code>/ubah/", views.scheme_edit, name="scheme_edit"),
    path("pelatihan/<int:pk>/pdf", views.completion_pdf, name="completion_pdf"),
    path("pelatihan/<int:pk>/json", views.completion_json, name="completion_json"),
    path("pelatihan/angkatan/<int:batch_pk>/terbitkan", views.issue_completions,
         name="issue_completions"),
]
