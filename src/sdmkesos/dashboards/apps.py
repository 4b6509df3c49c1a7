from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "sdmkesos.dashboards"
    label = "dashboards"
