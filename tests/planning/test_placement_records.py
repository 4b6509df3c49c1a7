"""Placement ranked with competencies (latest valid assessments against the job standard,
competency app) and certification (valid certificates of the relevant schemes and STR / SIPPS,
certification app), from records made through those apps' actions; hand-worked scores; page
and API for in-scope and out-of-scope users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sdmkesos.certification import actions as cert_actions
from sdmkesos.competency import actions as comp_actions
from sdmkesos.competency.models import Competency
from sdmkesos.core.models import EducationLevel
from sdmkesos.planning import queries
from tests.api_helpers import as_user
from tests.certification.conftest import (  # noqa: F401  (fixtures)
    certify,
    make_assessor,
    psg,
    qualify,
    signing,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _dictionary(competency_dictionary):
    """The shipped competency dictionary and its example standards (STD-TKSK)."""


def _assess(actor, person, levels):
    for code, level in levels.items():
        comp_actions.do_record_assessment(
            actor=actor, channel="web", person=person,
            competency=Competency.objects.get(code=code), level=level, method="assessor",
            assessed_on=TODAY - dt.timedelta(days=30), today=TODAY)


def _graduate(person):
    qualify(person)
    person.education_level = EducationLevel.objects.get(code="d4")
    person.kesos_background = True
    person.save()
    return person


@pytest.fixture
def candidates(users, make_person, certify):  # noqa: F811
    admin = users["nasional"]
    a = _graduate(make_person("35.07", name="A Bersertifikat"))
    certificate = certify("35.07", person=a)
    cert_actions.do_record_registration(
        actor=admin, channel="web", person=a, kind="str", number="STR-1", issued_by="IPSPI",
        valid_from=TODAY - dt.timedelta(days=1), valid_until=TODAY + dt.timedelta(days=900))
    cert_actions.do_record_registration(
        actor=admin, channel="web", person=a, kind="sipps", number="SIPPS-1",
        issued_by="Dinsos", valid_from=TODAY - dt.timedelta(days=1),
        valid_until=TODAY + dt.timedelta(days=900))
    # STD-TKSK: M.01 2, M.03 2, SK.01 2, RS.01 3, RS.02 2, RS.03 2 (13 levels)
    _assess(users["jatim"], a, {"M.01": 2, "M.03": 1, "SK.01": 2, "RS.01": 3})
    b = _graduate(make_person("35.07", name="B Tanpa Data"))
    c = _graduate(make_person("35.07", name="C Dibekukan"))
    suspended = certify("35.07", person=c)
    cert_actions.do_suspend(actor=admin, channel="web", certificate=suspended,
                            reason="pemeriksaan")
    _assess(users["jatim"], c, {"M.01": 2, "M.03": 2, "SK.01": 2, "RS.01": 3, "RS.02": 2,
                                "RS.03": 5})
    far = _graduate(make_person("32.04", name="D Jabar"))
    return {"a": a, "b": b, "c": c, "far": far, "certificate": certificate}


def _vacancy():
    return queries.vacancy_from(["pekerjaan_sosial"], "d4", "pekerja_sosial", None,
                                standard="STD-TKSK")


def test_ranking_with_competencies_and_certification_by_hand(users, candidates):
    vacancy = _vacancy()
    assert vacancy.schemes == frozenset({"APS", "PSG", "PSS"})  # the category's schemes
    ranked = {p.name: s for p, s in queries.placement_candidates(users["jatim"], vacancy)}
    a = ranked["A Bersertifikat"]
    # covered 2 + 1 + 2 + 3 + 0 + 0 = 8 of 13 -> 8/13 x 20 = 12.3 -> 12; PSG 10 + STR 3 +
    # SIPPS 2 = 15; field 35 + education 15 + category 10 + region 5 (none asked)
    assert a.parts == {"field": 35, "education": 15, "category": 10, "competency": 12,
                       "certification": 15, "region": 5}
    assert a.total == 92
    assert a.details["competency"] == {"covered": 8, "required": 13, "met": 3,
                                       "competencies": 6}
    assert a.details["certification"] == {"schemes": ["PSG"], "registrations": ["sipps", "str"]}
    # C meets the whole standard (20) but the certificate is suspended (0)
    c = ranked["C Dibekukan"]
    assert (c.parts["competency"], c.parts["certification"], c.total) == (20, 0, 85)
    assert ranked["B Tanpa Data"].total == 65
    order = [p.name for p, _s in queries.placement_candidates(users["jatim"], vacancy)]
    assert order[:3] == ["A Bersertifikat", "C Dibekukan", "B Tanpa Data"]
    assert "D Jabar" not in order  # out of the province operator's scope


def test_expired_certificate_and_later_day(users, candidates):
    after = candidates["certificate"].valid_until + dt.timedelta(days=1)
    ranked = {p.name: s for p, s in queries.placement_candidates(
        users["jatim"], _vacancy(), today=after)}
    # the certificate expired; STR / SIPPS ended after 900 days too
    assert ranked["A Bersertifikat"].parts["certification"] == 0


def test_placement_page_shows_the_breakdown(client, users, candidates):
    client.force_login(users["kabmalang"])
    response = client.get(reverse("planning:placement"), {
        "fields_of_study": "pekerjaan_sosial", "min_level": "d4",
        "category": "pekerja_sosial", "standard": "STD-TKSK"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "12/20" in body and "15/15" in body and "3 dari 6 kompetensi memenuhi" in body
    assert "D Jabar" not in body
    client.force_login(users["kabbandung"])
    body = client.get(reverse("planning:placement"), {
        "fields_of_study": "pekerjaan_sosial", "standard": "STD-TKSK"}).content.decode()
    assert "A Bersertifikat" not in body and "D Jabar" in body
    client.force_login(users["pekerja"])
    assert client.get(reverse("planning:placement")).status_code == 403


def test_placement_api_breakdown(users, candidates):
    out = as_user(users["jatim"]).get("/planning/placement", {
        "fields_of_study": "pekerjaan_sosial", "min_level": "d4",
        "category": "pekerja_sosial", "standard": "STD-TKSK", "schemes": "PSG"})
    assert out.status_code == 200
    top = out.json()[0]
    assert top["name"] == "A Bersertifikat" and top["score"] == 92
    assert top["maximum"]["certification"] == 15 and top["details"]["competency"]["met"] == 3
    assert "D Jabar" not in [r["name"] for r in out.json()]
    assert as_user(users["pekerja"]).get("/planning/placement").status_code == 403
