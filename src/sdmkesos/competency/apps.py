from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "sdmkesos.competency"
    label = "competency"
    verbose_name = "Competencies and gaps"
