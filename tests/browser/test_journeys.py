"""End-to-end journeys in headless Chromium against the live server.

Skipped when /usr/bin/chromium is missing (``make browser`` installs it). Set
SDMKESOS_SCREENSHOTS=<dir> to keep screenshots of the pages visited.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sdmkesos.core.models import AuditEvent
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: install it with `make browser`"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    # The live server runs in a thread of this process; Playwright's sync API runs an event
    # loop, which Django would otherwise refuse to mix with database access.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("SDMKESOS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_district_operator_edits_a_phone_number(
    reference, live_server, users, make_person, browser
):
    from playwright.sync_api import expect

    person = make_person(
        "35.07", name="Budi Santoso", sex="L", phone="0811-1111", civil_servant=True
    )
    make_person("35.07", name="Ani Wulandari")
    make_person("35.78", name="Cahya Surabaya")  # outside the district operator's scope
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url

    # Sign in.
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "kabmalang")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Registri Pekerja")
    expect(page.locator("#results")).to_contain_text("Ani Wulandari")
    expect(page.locator("#results")).not_to_contain_text("Cahya Surabaya")
    expect(page.locator("nav")).to_contain_text("Operator kabupaten/kota")
    _shot(page, "list")

    # Search: htmx swaps the results and pushes the URL.
    page.fill("#f-q", "Budi")
    expect(page.locator("#results")).not_to_contain_text("Ani Wulandari")
    expect(page.locator("#results")).to_contain_text("Budi Santoso")
    expect(page).to_have_url(re.compile(r"[?&]q=Budi"))

    # Open the worker.
    page.click("#results >> text=Budi Santoso")
    expect(page.locator("h1")).to_have_text("Budi Santoso")
    expect(page.locator("#person-phone")).to_have_text("0811-1111")

    # Edit the phone number.
    page.click("text=Ubah data")
    page.fill("#id_phone", "0812-3456-789")
    page.click("button:has-text('Simpan')")
    expect(page.locator(".alert-success")).to_contain_text("Perubahan disimpan: Telepon.")
    expect(page.locator("#person-phone")).to_have_text("0812-3456-789")

    # The change history shows it: who, which channel, before → after.
    history = page.locator("#history tbody tr").first
    expect(history).to_contain_text("kabmalang")
    expect(history).to_contain_text("Web")
    expect(history).to_contain_text("Telepon: 0811-1111 → 0812-3456-789")
    event = AuditEvent.objects.get(object_id=str(person.pk), action="update")
    assert event.channel == "web" and event.changes == {"phone": ["0811-1111", "0812-3456-789"]}

    # The dashboard, then English.
    page.click("nav >> text=Dasbor")
    expect(page.locator("#stat-total")).to_have_text("3")  # 2 here + the worker's own record
    _shot(page, "dashboard")
    page.click("button[name=language][value=en]")
    expect(page.locator("h1")).to_contain_text("SDM Kesos Dashboard")
    page.click("nav >> text=Worker Registry")
    expect(page.locator("h1")).to_have_text("Worker Registry")
    context.close()


def test_operator_imports_a_sheet_from_the_web(
    reference, live_server, users, browser, immediate_tasks, tmp_path
):
    import datetime as dt

    from playwright.sync_api import expect

    from sdmkesos.core.identifiers import encode_nik
    from sdmkesos.people.models import Person

    nik = encode_nik("35", "07", "01", dt.date(1992, 5, 5), "P", 411)
    sheet = tmp_path / "tksk-kecamatan.csv"
    sheet.write_text(
        "DAFTAR TKSK KABUPATEN MALANG\n"
        "No;Nama Lengkap;No Identitas;Tgl Lahir;L/P;Kab/Kota;Jenis SDM\n"
        f"1;Dewi Lestari;{nik};05-05-1992;P;Kab. Malang;TKSK\n", "utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "kabmalang")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")

    page.click("nav >> text=Impor")
    page.click("text=Unggah berkas")
    page.set_input_files("#id_file", str(sheet))
    page.click("text=Unggah dan periksa kolom")
    expect(page.locator("h1")).to_have_text("Periksa pemetaan kolom")
    expect(page.locator(".alert-warning")).to_contain_text("NIK")  # "No Identitas" not known
    row = page.locator("tr", has_text="No Identitas")
    row.locator("select").select_option("nik")
    page.fill("#id_save_as", "TKSK Malang")
    _shot(page, "import-mapping")
    page.click("text=Mulai impor")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "done")
    expect(page.locator("[data-k=created]")).to_have_text("1")
    expect(page.locator(".progress-bar")).to_have_text("100%")
    _shot(page, "import-done")
    assert Person.objects.get(nik=nik).name == "Dewi Lestari"
    context.close()
