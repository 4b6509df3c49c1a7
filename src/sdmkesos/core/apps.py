from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sdmkesos.core"
    label = "core"
    verbose_name = "SDM Kesos core"
