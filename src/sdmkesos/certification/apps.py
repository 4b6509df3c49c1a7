from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "sdmkesos.certification"
    label = "certification"
    verbose_name = "Competency certification"
