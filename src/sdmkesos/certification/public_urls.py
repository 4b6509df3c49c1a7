"""Public (unauthenticated) pages of certification: /verify/<id>, /.well-known/did.json, status
lists. Mounted at the site root."""

from django.urls import path

from . import public_views

urlpatterns: list = [
    path(".well-known/did.json", public_views.did_document, name="did_document"),
    path("status/<int:number>/<str:purpose>", public_views.status_list, name="status_list"),
    path("verify/", public_views.verify_upload, name="verify_upload"),
    path("verify/<str:public_id>.json", public_views.verify_json, name="verify_json"),
    path("verify/<str:public_id>", public_views.verify_certificate, name="verify_certificate"),
]
