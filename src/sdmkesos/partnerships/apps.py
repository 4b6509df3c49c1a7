from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "sdmkesos.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and coordination"
