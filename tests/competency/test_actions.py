"""Competency actions and queries: dictionary administration, assessments, gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from sdmkesos.competency import actions
from sdmkesos.competency.models import (
    Assessment,
    Competency,
    CompetencyGroup,
    CompetencyLevel,
    JobStandard,
)
from sdmkesos.competency.queries import gap_rows, gap_summary, person_gap_view
from sdmkesos.competency.reference import load_competency_dictionary
from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.core.models import AuditEvent, WorkforceCategory

D = dt.date


def comp(code):
    return Competency.objects.get(code=code)


def test_dictionary_shipped_and_idempotent(db):
    managerial = Competency.objects.filter(type="manajerial").values_list("code", flat=True)
    assert sorted(managerial) == [f"M.0{i}" for i in range(1, 9)]
    assert comp("SK.01").name == "Perekat Bangsa"
    assert CompetencyLevel.objects.filter(competency__code="M.01").count() == 5
    assert len(CompetencyLevel.objects.get(competency__code="M.03", level=2).indicators) >= 2
    # Hierarchy: technical → pekerja sosial → direct practice → PS.01
    group = comp("PS.01").group
    assert group.parent.code == "TEKNIS_PEKSOS" and group.parent.parent.code == "TEKNIS"
    assert load_competency_dictionary() == {"groups": 0, "competencies": 0, "levels": 0,
                                            "standards": 0, "items": 0}


def test_reload_keeps_admin_edits(users):
    actions.do_save_competency(actor=users["nasional"], channel="web", competency=comp("M.02"),
                               data={"name": "Kerja Sama (diubah)"})
    load_competency_dictionary()
    assert comp("M.02").name == "Kerja Sama (diubah)"


def test_only_admins_edit_dictionary(users):
    for role in ("jatim", "bbppks", "viewer", "pekerja"):
        with pytest.raises(DomainError) as exc:
            actions.do_save_competency(actor=users[role], channel="web", competency=comp("M.01"),
                                       data={"name": "X"})
        assert exc.value.code == "admin_only"
    group = actions.do_save_group(actor=users["nasional"], channel="web", data={
        "code": "TEKNIS_LANSIA", "name": "Layanan lanjut usia", "type": "teknis",
        "parent": CompetencyGroup.objects.get(code="TEKNIS_PEKSOS")})
    new = actions.do_save_competency(actor=users["nasional"], channel="web", data={
        "code": "PS.20", "name": "Pendampingan lansia", "group": group})
    assert new.type == "teknis"
    actions.do_save_level(actor=users["nasional"], channel="web", competency=new, level=3,
                          description="Mandiri", indicators=["satu", " ", "dua"])
    assert CompetencyLevel.objects.get(competency=new, level=3).indicators == ["satu", "dua"]
    with pytest.raises(ValidationFailed):
        actions.do_save_level(actor=users["nasional"], channel="web", competency=new, level=6,
                              description="", indicators=[])
    with pytest.raises(ValidationFailed) as exc:
        actions.do_save_competency(actor=users["nasional"], channel="web", data={
            "code": "PS.20", "name": "Duplikat", "group": group})
    assert exc.value.errors[0].code == "code_taken"
    assert AuditEvent.objects.filter(object_type="competency.competency",
                                     object_id=str(new.pk)).exists()


def test_standard_items_replace_and_audit(users):
    std = actions.do_save_standard(
        actor=users["nasional"], channel="web",
        data={"code": "STD-KEPALA-DINSOS", "name": "Kepala Dinas Sosial",
              "position": "Kepala Dinas"},
        items={comp("M.01"): 4, comp("M.08"): 4})
    assert dict(std.items.values_list("competency__code", "required_level")) == {
        "M.01": 4, "M.08": 4}
    actions.do_save_standard(actor=users["nasional"], channel="web", standard=std, data={},
                             items={comp("M.01"): 5})
    assert dict(std.items.values_list("competency__code", "required_level")) == {"M.01": 5}
    with pytest.raises(ValidationFailed):
        actions.do_save_standard(actor=users["nasional"], channel="web",
                                 data={"code": "STD-X", "name": "Tanpa sasaran"}, items={})


def test_assessment_scope_self_and_expiry(users, make_person):
    person = make_person("35.07")
    rec = actions.do_record_assessment(actor=users["kabmalang"], channel="web", person=person,
                                       competency=comp("PS.01"), level=2, method="supervisor",
                                       assessed_on=D(2026, 1, 10), today=D(2026, 2, 1))
    assert rec.valid_until == D(2031, 1, 10)  # technical: 60 months
    assert AuditEvent.objects.filter(action="competency.assess", object_id=str(person.pk))
    with pytest.raises(DomainError) as exc:
        actions.do_record_assessment(actor=users["kabbandung"], channel="web", person=person,
                                     competency=comp("PS.01"), level=2, method="assessor",
                                     assessed_on=D(2026, 1, 10))
    assert exc.value.code == "out_of_scope"
    with pytest.raises(ValidationFailed) as vexc:
        actions.do_record_assessment(actor=users["kabmalang"], channel="web", person=person,
                                     competency=comp("M.01"), level=7, method="x",
                                     assessed_on=D(2030, 1, 1), today=D(2026, 1, 1))
    assert {e.code for e in vexc.value.errors} == {"level_range", "unknown_method",
                                                   "future_date"}
    own = users["pekerja"].person
    actions.do_record_assessment(actor=users["pekerja"], channel="web", person=own,
                                 competency=comp("M.01"), level=3, method="self",
                                 assessed_on=D(2026, 1, 1))
    with pytest.raises(DomainError) as exc:
        actions.do_record_assessment(actor=users["pekerja"], channel="web", person=own,
                                     competency=comp("M.01"), level=5, method="assessor",
                                     assessed_on=D(2026, 1, 1))
    assert exc.value.code == "self_only_self"
    actions.do_void_assessment(actor=users["kabmalang"], channel="web", assessment=rec,
                               reason="salah input")
    assert Assessment.objects.get(pk=rec.pk).voided


def test_gaps_per_person_and_aggregated(users, make_person):
    jatim = users["jatim"]
    a = make_person("35.07", category="psm", name="Ani PSM")
    b = make_person("35.73", category="psm", name="Budi PSM")
    make_person("32.04", category="psm", name="Cici Bandung")  # outside jatim's scope
    for person, level in ((a, 1), (b, 2)):
        actions.do_record_assessment(actor=jatim, channel="web", person=person,
                                     competency=comp("RS.01"), level=level, method="assessor",
                                     assessed_on=D(2026, 1, 5))
    standard, gaps, current = person_gap_view(a)
    assert standard is not None and standard.code == "STD-PSM"
    by_code = {g.competency: g for g in gaps}
    assert by_code["RS.01"].gap == 1 and current == {"RS.01": 1}
    below = list(gap_rows(jatim, competency="RS.01", only_below=True))
    assert [r.person_name for r in below] == ["Ani PSM"]
    rows = list(gap_rows(jatim, category="psm"))
    assert {r.person_name for r in rows} == {"Ani PSM", "Budi PSM"}
    summary = {key: agg for key, _label, agg in gap_summary(jatim, by="region",
                                                            category="psm")}
    assert set(summary) == {"35.07", "35.73"} and summary["35.07"].people == 1
    # national sees all three
    assert len({r.person_id for r in gap_rows(users["nasional"], category="psm")
                if r.person_name.endswith(("PSM", "Bandung"))}) == 3


def test_position_standard_wins_over_category(users, make_person):
    actions.do_save_standard(actor=users["nasional"], channel="web",
                             data={"code": "STD-KABID", "name": "Kepala Bidang",
                                   "position": "Kepala Bidang Rehsos"},
                             items={comp("M.08"): 3})
    person = make_person("35.07", category="pekerja_sosial", position="")
    person.position = "kepala bidang rehsos"
    person.save()
    standard, gaps, _ = person_gap_view(person)
    assert standard.code == "STD-KABID" and [g.competency for g in gaps] == ["M.08"]
    assert JobStandard.objects.get(code="STD-PEKSOS").category == WorkforceCategory.objects.get(
        code="pekerja_sosial")
