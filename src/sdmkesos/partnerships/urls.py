"""Web pages of the partnerships app, mounted under /kemitraan/."""

from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("perjanjian/", views.agreement_list, name="agreement_list"),
    path("perjanjian/baru/", views.agreement_create, name="agreement_create"),
    path("perjanjian/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("perjanjian/<int:pk>/ubah/", views.agreement_edit, name="agreement_edit"),
    path("perjanjian/<int:pk>/status/", views.agreement_transition,
         name="agreement_transition"),
    path("perjanjian/<int:pk>/pihak/", views.party_add, name="party_add"),
    path("perjanjian/<int:pk>/pihak/<int:party_pk>/hapus/", views.party_delete,
         name="party_delete"),
    path("perjanjian/<int:pk>/dana/", views.funding_add, name="funding_add"),
    path("perjanjian/<int:pk>/rencana/", views.plan_add, name="plan_add"),
    path("perjanjian/<int:pk>/realisasi/", views.delivery_add, name="delivery_add"),
    path("perjanjian/<int:pk>/penelitian/", views.research_add, name="research_add"),
    path("perjanjian/<int:pk>/dokumen/", views.document_upload, name="document_upload"),
    path("penelitian/<int:pk>/", views.research_edit, name="research_edit"),
    path("dokumen/<int:pk>/", views.document_download, name="document_download"),
    path("dokumen/<int:pk>/hapus/", views.document_delete, name="document_delete"),
    path("rapat/", views.meeting_list, name="meeting_list"),
    path("rapat/baru/", views.meeting_create, name="meeting_create"),
    path("rapat/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("rapat/<int:pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<int:pk>/sesi/", views.session_add, name="session_add"),
    path("sesi/<int:pk>/", views.session_findings, name="session_findings"),
    path("rapat/<int:pk>/peserta/", views.participant_add, name="participant_add"),
    path("rapat/<int:pk>/peserta/impor/", views.participant_import, name="participant_import"),
    path("rapat/<int:pk>/kesepakatan/", views.resolution_add, name="resolution_add"),
    path("kesepakatan/<int:pk>/aksi/", views.action_add, name="action_add"),
    path("aksi/", views.action_list, name="action_list"),
    path("aksi/<int:pk>/", views.action_detail, name="action_detail"),
    path("aksi/<int:action_pk>/surat/", views.letter_create, name="letter_create_for_action"),
    path("surat/", views.letter_list, name="letter_list"),
    path("surat/baru/", views.letter_create, name="letter_create"),
    path("surat/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("surat/templat/baru/", views.template_edit, name="template_create"),
    path("surat/templat/<int:pk>/", views.template_edit, name="template_edit"),
    path("pelantikan/", views.appointment_list, name="appointment_list"),
    path("pelantikan/baru/", views.appointment_create, name="appointment_create"),
    path("pelantikan/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("pelantikan/<int:pk>/tandatangan/", views.appointment_sign, name="appointment_sign"),
    path("pakta/", views.pact_texts, name="pact_texts"),
    path("pakta/tanda-tangan/<int:pk>/", views.signature_verify, name="signature_verify"),
]
