from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sdmkesos.planning"
    label = "planning"
    verbose_name = "Workforce planning"
