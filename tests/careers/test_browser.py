"""Journey in headless Chromium: an operator records a JF position and credit points, sees the
running total and eligibility, then saves a WISN input and reads the result. Skipped without
/usr/bin/chromium."""

from __future__ import annotations

from typing import Any

import pytest

from sdmkesos.careers.models import CreditEntry
from sdmkesos.careers.reference import load_jf_reference
from sdmkesos.planning.models import WisnInputSet
from tests.browser.test_journeys import CHROMIUM, browser  # noqa: F401  (fixture)
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing"),
]


def test_operator_records_a_career_and_a_wisn(reference, live_server, users, make_person,
                                               browser: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    load_jf_reference()
    person = make_person("35.07", name="Dewi Peksos", civil_servant=True)
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "kabmalang")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/pekerja/")

    page.goto(f"{base}/karier/pekerja/{person.pk}/")
    page.select_option("#id_jf", label="Pekerja Sosial")
    page.select_option("#id_level", label="Ahli Pertama")
    page.select_option("#id_rank", label="Penata Muda (III/a)")
    page.fill("#id_tmt", "2022-01-01")
    page.fill("#id_opening_ak", "35")
    page.click("text=Tambah riwayat jabatan >> xpath=../.. >> button[type=submit]")
    expect(page.locator("#positions")).to_contain_text("Ahli Pertama")
    page.fill("#id_year", "2024")
    page.select_option("#id_rating", "sangat_baik")
    page.click("text=Catat angka kredit")
    expect(page.locator("#credits")).to_contain_text("18,75")
    expect(page.locator("#rank-ak")).to_have_text("53,75")
    expect(page.locator("#eligibility")).to_contain_text("Memenuhi syarat III/b")
    assert CreditEntry.objects.get(person=person).months == 12

    page.goto(f"{base}/perencanaan/wisn/baru/")
    page.select_option("#id_organisation", label="Dinas Sosial Kabupaten Malang")
    page.select_option("#id_category", label="Pekerja Sosial (JF)")
    page.fill("#id_public_holidays", "16")
    page.fill("#id_annual_leave", "12")
    page.fill("#id_sick_leave", "5")
    page.fill("#id_other_leave", "7")
    page.fill("#id_hours_per_day", "8")
    page.fill("#id_service_activities", "Asesmen | 1056 | 60")
    page.click("text=Hitung dan simpan")
    expect(page.locator("#required-staff")).to_have_text("0,6")
    assert WisnInputSet.objects.get().data["current_staff"] >= 1  # from the registry
