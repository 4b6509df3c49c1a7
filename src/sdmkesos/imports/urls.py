"""Web pages of the imports app, mounted under /impor/."""

from django.urls import path  # noqa: F401

app_name = "imports"

urlpatterns: list = []
