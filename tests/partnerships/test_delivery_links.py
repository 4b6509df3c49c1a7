"""Delivery as real links: training batches, scholarship intakes, field placements and
assessment events linked to the agreement they implement; planned vs delivered computed from
those records, per party and year; scope of linking (actions, pages, API)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sdmkesos.core.errors import DomainError, ValidationFailed
from sdmkesos.partnerships import actions, queries
from sdmkesos.partnerships.models import DeliveryLink
from tests.api_helpers import ApiClient

from .conftest import make_batch, make_event, make_placement, make_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaltara_like(users, make_agreement, make_person):
    """An agreement of Kemensos and the province (region 35) with the province's APBD funding
    in 2024, a plan, and one record of each kind linked, the province as paying party."""
    admin = users["nasional"]
    a = make_agreement("35")
    province = a.parties.get(organisation__code="DINSOS-35")
    actions.do_add_funding(actor=admin, channel="web", agreement=a, data={
        "party": province, "source": "apbd", "year": 2024, "amount": Decimal("100000000")})
    actions.do_add_plan(actor=admin, channel="web", agreement=a, data={
        "kind": "training_batch", "people": 10, "budget": Decimal("10000000")})
    people = [make_person("35.07") for _ in range(6)]
    batch = make_batch(people=people[:3])                      # 3 completed
    make_batch(people=people[3:4], status="tidak_lulus")       # not linked anyway
    failed = make_batch(people=people[4:5], status="tidak_lulus")
    scheme = make_scheme(scholars={people[0]: "studi", people[1]: "lulus",
                                   people[2]: "ditolak"})      # 2 scholars
    placement = make_placement("35.07", status="selesai")
    planned_placement = make_placement("35.07", status="rencana")
    event = make_event("35.07", certified=people[:2], fee=500_000)
    links = {
        "batch": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                          target="batch", record=batch, party=province),
        "failed": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                           target="batch", record=failed, party=province),
        "scheme": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                           target="scheme", record=scheme, party=province,
                                           budget=Decimal("50000000")),
        "placement": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                              target="placement", record=placement),
        "planned": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                            target="placement", record=planned_placement),
        "event": actions.do_link_delivery(actor=admin, channel="web", agreement=a,
                                          target="event", record=event, party=province),
    }
    return a, province, links


def test_planned_vs_delivered_from_linked_records(kaltara_like):
    a, province, _links = kaltara_like
    summary = {r["kind"]: r for r in queries.delivery_summary(a)}
    batch = summary["training_batch"]
    assert (batch["planned_people"], batch["delivered_people"]) == (10, 3)
    assert batch["delivered_budget"] == Decimal("3000000")  # 3 completed x Rp 1 juta
    assert batch["activities"] == 2 and batch["ratio"] == pytest.approx(0.3)
    assert summary["scholarship"]["delivered_people"] == 2
    assert summary["scholarship"]["delivered_budget"] == Decimal("50000000")  # given
    assert summary["field_practice"]["delivered_people"] == 1  # the planned one not yet
    assert summary["certification"]["delivered_people"] == 2
    assert summary["certification"]["delivered_budget"] == Decimal("1000000")  # fees
    # Per party and year: what the province's APBD 2024 bought.
    rows = queries.delivery_by_party_year(a)
    prov = next(r for r in rows if r["party_id"] == province.pk and r["year"] == 2024)
    assert prov["funded"] == Decimal("100000000")
    assert prov["people"]["training_batch"] == 3 and prov["people"]["scholarship"] == 2
    assert prov["people"]["certification"] == 2 and prov["people_total"] == 7
    assert prov["realised"] == Decimal("54000000")
    unpaid = next(r for r in rows if r["party_id"] is None)
    assert unpaid["people"]["field_practice"] == 1
    # A placement is named by its host office, not by the student.
    placement = next(r for r in queries.linked_deliveries(a.links.all())
                     if r["kind"] == "field_practice" and r["people"])
    assert placement["link"].placement.student_name not in placement["title"]
    assert placement["link"].placement.host.name in placement["title"]


def test_hand_entered_delivery_with_party(users, kaltara_like):
    a, province, _links = kaltara_like
    actions.do_add_delivery(actor=users["nasional"], channel="web", agreement=a, data={
        "kind": "training_batch", "title": "Relawan dilatih dosen", "date": dt.date(2024, 9, 1),
        "people": 40, "party": province})
    summary = {r["kind"]: r for r in queries.delivery_summary(a)}
    assert summary["training_batch"]["delivered_people"] == 43
    prov = next(r for r in queries.delivery_by_party_year(a)
                if r["party_id"] == province.pk and r["year"] == 2024)
    assert prov["people"]["training_batch"] == 43
    other = actions.do_create_agreement(
        actor=users["nasional"], channel="web",
        data={"kind": "pks", "number": "PKS-X", "title": "Lain"},
        parties=[{"organisation": province.organisation}])
    with pytest.raises(DomainError):
        actions.do_add_delivery(actor=users["nasional"], channel="web", agreement=other, data={
            "kind": "research", "title": "x", "party": province})


def test_dashboard_counts_linked_people(users, kaltara_like):
    data = queries.dashboard(users["jatim"])
    assert data["agreements"]["planned_people"] == 10
    assert data["agreements"]["delivered_people"] == 3 + 2 + 1 + 2
    assert queries.dashboard(users["jabar"])["agreements"]["delivered_people"] == 0


def test_a_record_implements_one_agreement_and_unlink(users, make_agreement, kaltara_like):
    a, _province, links = kaltara_like
    other = make_agreement("35")
    with pytest.raises(ValidationFailed) as err:
        actions.do_link_delivery(actor=users["nasional"], channel="web", agreement=other,
                                 target="batch", record=links["batch"].batch)
    assert err.value.errors[0].code == "already_linked"
    actions.do_unlink_delivery(actor=users["jatim"], channel="web", link=links["batch"])
    assert not DeliveryLink.objects.filter(pk=links["batch"].pk).exists()
    summary = {r["kind"]: r for r in queries.delivery_summary(a)}
    assert summary["training_batch"]["delivered_people"] == 0
    assert a.links.count() == 5
    from sdmkesos.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="link.delete", object_id=str(a.pk)).exists()


def test_linking_is_scoped(users, make_agreement, make_person):
    a = make_agreement("35")
    outside_event = make_event("32.04", certified=[make_person("32.04")])
    outside_placement = make_placement("32.04")
    inside_placement = make_placement("35.07")
    # The province operator cannot link records it cannot see (other province) ...
    for target, record in (("event", outside_event), ("placement", outside_placement)):
        with pytest.raises(ValidationFailed) as err:
            actions.do_link_delivery(actor=users["jatim"], channel="web", agreement=a,
                                     target=target, record=record)
        assert err.value.errors[0].code == "not_found"
    # ... nor link anything to an agreement outside its scope; read-only roles cannot link.
    with pytest.raises(DomainError):
        actions.do_link_delivery(actor=users["jabar"], channel="web", agreement=a,
                                 target="placement", record=make_placement("32.04"))
    with pytest.raises(DomainError):
        actions.do_link_delivery(actor=users["viewer"], channel="web", agreement=a,
                                 target="placement", record=inside_placement)
    link = actions.do_link_delivery(actor=users["jatim"], channel="web", agreement=a,
                                    target="placement", record=inside_placement)
    assert link.kind == "field_practice" and link.created_by == users["jatim"]
    with pytest.raises(DomainError):
        actions.do_unlink_delivery(actor=users["jabar"], channel="web", link=link)


def test_link_pages(client, users, make_agreement, make_person):
    a = make_agreement("35")
    batch = make_batch(people=[make_person("35.07"), make_person("35.07")])
    outside = make_placement("32.04")
    url = reverse("partnerships:link_add", args=[a.pk])
    client.force_login(users["jatim"])
    page = client.get(url).content.decode()
    assert batch.name in page and outside.student_name not in page  # choices are scoped
    r = client.post(url, {"target": "placement", "placement": outside.pk})
    assert r.status_code == 200 and not a.links.exists()  # not a valid choice
    r = client.post(url, {"target": "batch", "batch": batch.pk, "note": "APBD 2024"})
    assert r.status_code == 302 and a.links.get().batch == batch
    html = client.get(reverse("partnerships:agreement_detail", args=[a.pk])).content.decode()
    assert "linked-table" in html and batch.name in html and "party-year-table" in html
    link = a.links.get()
    for role, status in (("viewer", 403), ("jabar", 404), ("kabbandung", 404)):
        client.force_login(users[role])
        assert client.get(url).status_code == status, role
        assert client.post(reverse("partnerships:link_delete", args=[a.pk, link.pk])
                           ).status_code == status, role
    assert a.links.exists()
    client.force_login(users["jatim"])
    r = client.post(reverse("partnerships:link_delete", args=[a.pk, link.pk]))
    assert r.status_code == 302 and not a.links.exists()


def test_link_api(users, make_agreement, make_person):
    a = make_agreement("35")
    province = a.parties.get(organisation__code="DINSOS-35")
    event = make_event("35.07", certified=[make_person("35.07")], fee=750_000)
    c = ApiClient(users["jatim"])
    r = c.post(f"/partnerships/agreements/{a.pk}/links",
               {"target": "event", "record_id": event.pk, "party_id": province.pk})
    assert r.status_code == 201, r.content
    assert r.json()["people"] == 1 and Decimal(r.json()["budget"]) == Decimal("750000")
    link_id = r.json()["id"]
    detail = c.get(f"/partnerships/agreements/{a.pk}").json()
    assert detail["linked"][0]["title"] == str(event)
    assert detail["by_party_year"][0]["people"]["certification"] == 1
    assert {d["kind"]: d["delivered_people"] for d in detail["delivery"]} == {
        "certification": 1}
    r = c.post(f"/partnerships/agreements/{a.pk}/links",
               {"target": "nope", "record_id": event.pk})
    assert r.status_code == 400
    outside = make_placement("32.04")
    r = c.post(f"/partnerships/agreements/{a.pk}/links",
               {"target": "placement", "record_id": outside.pk})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "placement"
    assert ApiClient(users["jabar"]).delete(
        f"/partnerships/agreements/{a.pk}/links/{link_id}").status_code == 404
    assert ApiClient(users["viewer"]).delete(
        f"/partnerships/agreements/{a.pk}/links/{link_id}").status_code == 403
    assert c.delete(f"/partnerships/agreements/{a.pk}/links/{link_id}").status_code == 204
    assert not a.links.exists()
