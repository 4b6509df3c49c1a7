from sdmkesos.people.views import capped_count, is_name_search, page_rows, registry_queryset


def test_search_plan_returns_the_same_page_as_the_plain_plan(users, make_person):
    for name in ["Siti Aminah", "Siti Rahma", "Ahmad Siti", "Budi", "Sitti Nur", "Zaenal Siti"]:
        make_person("35.07", name=name)
    params = {"q": "siti"}
    assert is_name_search(params) and not is_name_search({"q": "3507"})
    qs = registry_queryset(users["jatim"], params)
    n = capped_count(qs)
    for offset in (0, 1, 2):
        fast = page_rows(qs, offset, 2, n, True)
        plain = page_rows(qs, offset, 2, n, False)
        assert [p.pk for p in fast] == [p.pk for p in plain]
    assert [p.name for p in page_rows(qs, 0, 10, n, True)] == [
        "Ahmad Siti", "Siti Aminah", "Siti Pekerja", "Siti Rahma", "Zaenal Siti"]
