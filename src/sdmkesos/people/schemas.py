"""API schemas of the registry (people, education, employment, history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from sdmkesos.core.api import PageQuery


class OrganisationRef(Schema):
    id: int
    code: str
    name: str


class PersonOut(Schema):
    id: int
    nik: str = Field(..., description="Masked (first 6 digits) for roles that may not see it.")
    nip: str | None
    name: str
    sex: str = Field(..., description="L or P")
    birth_place: str
    birth_date: dt.date
    region_code: str | None = Field(..., description="Managing region (null: national staff).")
    organisation: OrganisationRef | None
    category: str | None
    employment_status: str | None
    position: str
    education_level: str | None
    field_of_study: str | None
    kesos_background: bool
    phone: str
    email: str
    address: str
    domicile_region_code: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonPage(Schema):
    items: list[PersonOut]
    count: int


class PersonQuery(PageQuery):
    q: str | None = Field(None, max_length=150,
                          description="Free text: digits search NIK/NIP by prefix, else the name.")
    nik: str | None = Field(None, max_length=16, description="Full NIK, or a prefix.")
    nip: str | None = Field(None, max_length=18, description="Full NIP, or a prefix.")
    name: str | None = Field(None, max_length=150)
    region: str | None = Field(None, max_length=13,
                               description="Region code; includes its sub-regions.")
    category: str | None = Field(None, max_length=40, description="Workforce category code.")
    organisation: str | None = Field(None, max_length=60,
                                     description="Organisation id or code; includes sub-units.")
    education_level: str | None = Field(None, max_length=40)
    field_of_study: str | None = Field(None, max_length=40)
    employment_status: str | None = Field(None, max_length=40)
    kesos: bool | None = Field(None, description="Peksos/kesos education background.")


class _In(Schema):
    model_config = ConfigDict(coerce_numbers_to_str=True, extra="forbid")


class PersonIn(_In):
    """A new person. Reference fields are given by code (organisation: code or id)."""

    nik: str = Field(..., max_length=40)
    nip: str | None = Field(None, max_length=40)
    name: str = Field(..., max_length=150)
    sex: str = Field(..., max_length=1, description="L or P")
    birth_date: dt.date
    birth_place: str = Field("", max_length=100)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255)
    domicile_region: str | None = Field(None, max_length=13, description="Region code.")
    region: str | None = Field(
        None, max_length=13,
        description="Managing region code; derived from the organisation when one is given.")
    organisation: str | None = Field(None, max_length=60, description="Code or id.")
    position: str = Field("", max_length=150)
    category: str | None = Field(None, max_length=40, description="Workforce category code.")
    employment_status: str | None = Field(None, max_length=40)


class PersonPatch(_In):
    """Only the fields sent are changed; null clears an optional field."""

    nik: str | None = Field(None, max_length=40)
    nip: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=150)
    sex: str | None = Field(None, max_length=1)
    birth_date: dt.date | None = None
    birth_place: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=255)
    domicile_region: str | None = Field(None, max_length=13)
    region: str | None = Field(None, max_length=13)
    organisation: str | None = Field(None, max_length=60)
    position: str | None = Field(None, max_length=150)
    category: str | None = Field(None, max_length=40)
    employment_status: str | None = Field(None, max_length=40)


class HistoryOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    channel: str
    action: str
    changes: dict[str, Any]
    note: str
    request_id: str


class HistoryPage(Schema):
    items: list[HistoryOut]
    count: int


class EducationOut(Schema):
    id: int
    level: str
    field_of_study: str | None
    field_text: str
    institution: str
    graduation_year: int | None


class EducationList(Schema):
    items: list[EducationOut]
    count: int


class EducationIn(_In):
    level: str = Field(..., max_length=40, description="Education level code.")
    field_of_study: str | None = Field(None, max_length=40, description="Field of study code.")
    field_text: str = Field("", max_length=150, description="The programme as written.")
    institution: str = Field("", max_length=200)
    graduation_year: int | None = Field(None, ge=1900, le=2100)


class EmploymentOut(Schema):
    id: int
    organisation: OrganisationRef
    position: str
    category: str | None
    employment_status: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    is_current: bool


class EmploymentList(Schema):
    items: list[EmploymentOut]
    count: int


class EmploymentIn(_In):
    organisation: str = Field(..., max_length=60, description="Code or id.")
    position: str = Field("", max_length=150)
    category: str | None = Field(None, max_length=40)
    employment_status: str | None = Field(None, max_length=40)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    close_current: bool = Field(
        True, description="A new current assignment ends the previous current one.")
