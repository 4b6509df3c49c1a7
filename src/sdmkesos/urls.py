from django.urls import include, path

from sdmkesos.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("sdmkesos.core.urls")),
    path("pekerja/", include("sdmkesos.people.urls")),
    path("dasbor/", include("sdmkesos.dashboards.urls")),
    path("impor/", include("sdmkesos.imports.urls")),
    path("duplikat/", include("sdmkesos.dedup.urls")),
    path("kompetensi/", include("sdmkesos.competency.urls")),
    path("pelatihan/", include("sdmkesos.training.urls")),
    path("sertifikasi/", include("sdmkesos.certification.urls")),
    path("karier/", include("sdmkesos.careers.urls")),
    path("perencanaan/", include("sdmkesos.planning.urls")),
    path("kemitraan/", include("sdmkesos.partnerships.urls")),
    path("", include("sdmkesos.certification.public_urls")),
]
