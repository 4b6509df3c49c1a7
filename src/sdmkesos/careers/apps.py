from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "sdmkesos.careers"
    label = "careers"
    verbose_name = "Functional careers and performance"
