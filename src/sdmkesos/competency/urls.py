"""Web pages of the competency app, mounted under /kompetensi/."""

from django.urls import path  # noqa: F401

app_name = "competency"

urlpatterns: list = []
