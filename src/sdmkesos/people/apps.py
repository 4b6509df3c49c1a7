from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sdmkesos.people"
    label = "people"
    verbose_name = "Registry of workers"
