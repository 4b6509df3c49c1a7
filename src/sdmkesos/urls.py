from django.urls import include, path

from sdmkesos.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("sdmkesos.core.urls")),
    path("pekerja/", include("sdmkesos.people.urls")),
    path("dasbor/", include("sdmkesos.dashboards.urls")),
]
