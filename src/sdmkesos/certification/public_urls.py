"""Public (unauthenticated) pages of certification: /verify/<id>, /.well-known/did.json, status
lists. Mounted at the site root."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
