from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "sdmkesos.dedup"
    label = "dedup"
    verbose_name = "De-duplication of people"
