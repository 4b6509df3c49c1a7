from sdmkesos.core.models import Organisation, Region


def test_reference_counts(db):
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() == 7285
    assert Region.objects.filter(level=4).count() == 83762
    assert Organisation.objects.get(code="DINSOS-35.07").name == "Dinas Sosial Kabupaten Malang"
    assert Organisation.objects.get(code="DINSOS-35").parent is None


def test_people_scoping(users, make_person):
    from sdmkesos.people.models import Person

    malang = make_person("35.07")
    surabaya = make_person("35.78")
    bandung = make_person("32.04")
    padang = make_person("13.71")
    visible = {u: set(Person.objects.restrict(users[u]).values_list("pk", flat=True))
               for u in users}
    assert {malang.pk, surabaya.pk, bandung.pk, padang.pk} <= visible["nasional"]
    assert {malang.pk, surabaya.pk} <= visible["jatim"] and bandung.pk not in visible["jatim"]
    assert malang.pk in visible["kabmalang"] and surabaya.pk not in visible["kabmalang"]
    assert padang.pk in visible["bbppks"] and malang.pk not in visible["bbppks"]
    assert len(visible["pekerja"]) == 1
    assert bandung.pk in visible["kabbandung"] and malang.pk not in visible["kabbandung"]
