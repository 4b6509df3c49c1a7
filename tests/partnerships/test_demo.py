import datetime as dt

import pytest

from sdmkesos.partnerships.demo import seed_demo
from sdmkesos.partnerships.models import Agreement, Meeting, PactText
from sdmkesos.partnerships.queries import previous_actions

pytestmark = pytest.mark.django_db


def test_seed_demo_tells_the_seed_stories_once(users):
    counts = seed_demo(today=dt.date(2026, 1, 1))
    assert counts == seed_demo(today=dt.date(2026, 1, 1))  # idempotent
    kaltara = Agreement.objects.get(number="DEMO/MOU/KEMENSOS-KALTARA/2020")
    assert kaltara.status == "expired" and kaltara.signing_date == dt.date(2020, 1, 21)
    assert kaltara.parties.filter(region_id="65").exists()
    jatim = Agreement.objects.get(number="DEMO/PKS/JATIM-POLTEKESOS/2024")
    assert jatim.status == "active" and jatim.research.exists()
    assert Agreement.objects.restrict(users["jatim"]).filter(pk=jatim.pk).exists()
    rakor = Meeting.objects.get(title__startswith="Rakorbang SDM dan Kelembagaan")
    assert sum(p.count for p in rakor.participants.all()) == 168
    assert len({p.region_id for p in rakor.participants.all() if len(p.region_id) == 5}) == 132
    assert rakor.resolutions.count() == 5
    assert Meeting.objects.restrict(users["bbppks"]).filter(pk=rakor.pk).exists()
    follow = Meeting.objects.get(previous=rakor)
    assert len(list(previous_actions(follow, users["nasional"]))) == 5
    assert PactText.current() is not None
    letter_action = rakor.resolutions.get(number=2).actions.get()
    assert letter_action.letters.get().recipients.count() == 8


def test_demo_links_training_batches_when_present(users):
    from sdmkesos.partnerships.models import DeliveryLink
    from sdmkesos.partnerships.queries import delivery_summary
    from tests.partnerships.conftest import make_batch

    batch = make_batch(start=dt.date(2025, 2, 3), people=[])
    old = make_batch(start=dt.date(2023, 2, 3), people=[])
    seed_demo(today=dt.date(2026, 1, 1))
    seed_demo(today=dt.date(2026, 1, 1))
    jatim = Agreement.objects.get(number="DEMO/PKS/JATIM-POLTEKESOS/2024")
    assert list(jatim.links.values_list("batch", flat=True)) == [batch.pk]
    assert jatim.links.get().party.name == "Pemerintah Provinsi Jawa Timur"
    assert not DeliveryLink.objects.filter(batch=old).exists()
    assert {r["kind"]: r["linked"] for r in delivery_summary(jatim)}["training_batch"] == 1
