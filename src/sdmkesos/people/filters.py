"""Registry search, shared by the web UI, the API, exports and reports. Always applied to an
already restricted queryset (``Person.objects.restrict(user, "view")``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Q, QuerySet

from sdmkesos.core.models import Organisation
from sdmkesos.core.scoping import region_q

from .models import Person


@dataclass
class PersonFilter:
    q: str = ""  # free text: digits search NIK/NIP by prefix, anything else the name
    nik: str = ""
    nip: str = ""
    name: str = ""
    region: str = ""  # a region code; includes its sub-regions
    category: str = ""  # workforce category code
    organisation: str = ""  # organisation id or code; includes its sub-organisations
    education_level: str = ""  # education level code
    field_of_study: str = ""
    employment_status: str = ""
    kesos: bool | None = None  # peksos/kesos education background

    @classmethod
    def from_mapping(cls, data: Any) -> PersonFilter:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if raw in (None, ""):
                continue
            if f.name == "kesos":
                values["kesos"] = str(raw).lower() in {"1", "true", "ya", "yes", "on"}
            else:
                values[f.name] = str(raw).strip()
        return cls(**values)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in ("", None) for f in fields(self))

    def apply(self, qs: QuerySet[Person]) -> QuerySet[Person]:
        if self.q:
            text = self.q.replace(" ", "")
            if text.isdigit() and len(text) >= 3:
                qs = qs.filter(Q(nik__startswith=text) | Q(nip__startswith=text))
            else:
                qs = qs.filter(name__icontains=self.q)
        if self.nik:
            qs = qs.filter(nik=self.nik) if len(self.nik) == 16 else qs.filter(
                nik__startswith=self.nik)
        if self.nip:
            qs = qs.filter(nip=self.nip) if len(self.nip) == 18 else qs.filter(
                nip__startswith=self.nip)
        if self.name:
            qs = qs.filter(name__icontains=self.name)
        if self.region:
            qs = qs.filter(region_q(Person.scope, (self.region,)))
        if self.category:
            qs = qs.filter(category__code=self.category)
        if self.organisation:
            org = (Organisation.objects.filter(pk=int(self.organisation)).first()
                   if self.organisation.isdigit()
                   else Organisation.objects.filter(code=self.organisation).first())
            if org is None:
                return qs.none()
            qs = qs.filter(organisation__in=Organisation.objects.filter(
                path__startswith=org.path).values("id"))
        if self.education_level:
            qs = qs.filter(education_level__code=self.education_level)
        if self.field_of_study:
            qs = qs.filter(field_of_study__code=self.field_of_study)
        if self.employment_status:
            qs = qs.filter(employment_status__code=self.employment_status)
        if self.kesos is not None:
            qs = qs.filter(kesos_background=self.kesos)
        return qs
