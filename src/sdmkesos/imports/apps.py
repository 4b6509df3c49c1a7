from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "sdmkesos.imports"
    label = "imports"
    verbose_name = "Imports and exports"
