"""Web pages of the partnerships app, mounted under /kemitraan/."""

from django.urls import path  # noqa: F401

app_name = "partnerships"

urlpatterns: list = []
