from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "sdmkesos.training"
    label = "training"
    verbose_name = "Training (diklat)"
