"""Demo data for partnerships, from the seed articles (``sdmkesos demo`` calls ``seed_demo``).

* MoU Kemensos and Pemerintah Provinsi Kalimantan Utara, signed in Jakarta on 21 January 2020
  (scholarships at Poltekesos, education programmes, short courses in the province, budget from
  the provincial APBD, "pembiayaan masing-masing"), with the same day's appointment ceremony at
  Poltekesos and the Minister's request that all officials sign an integrity pact;
* PKS Pemerintah Provinsi Jawa Timur and Poltekesos Bandung, signed at Gedung Negara Grahadi,
  Surabaya on 14 October 2024 (research, education, community service, workforce development;
  lecturers training volunteers at UPT PTKS Malang, about 9,000 volunteers; research findings
  returned as recommendations);
* Rakorbang SDM dan Kelembagaan, BBPPKS Regional I Sumatera, Batam, April 2018: 168
  participants from 8 provinces and 132 kab/kota, panel and FGD sessions, 5 agreements with
  action plans (further study for non-peksos staff, a letter from STKS to the regional
  governments asking for budget support, technical assistance for assessor teams, socialisation
  of the JF Pekerja Sosial / Penyuluh Sosial).

Facts from the articles are kept as written; what the articles do not say (document numbers,
amounts, delivered counts, names of the officials appointed, the follow-up meeting of 2019) is
illustrative and marked "(ilustrasi)" or "DEMO" in the data. Idempotent: agreements and meetings
are looked up by number/title and not created twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

D = dt.date
RAKOR_TITLE = "Rakorbang SDM dan Kelembagaan Penyelenggaraan Kesejahteraan Sosial Regional I " \
              "Sumatera 2018"
RAKOR_PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "21"]
PACT_TEXT = """Saya yang bertanda tangan di bawah ini, dalam rangka melaksanakan tugas jabatan \
di lingkungan Kementerian Sosial, dengan ini menyatakan bahwa saya:
1. berpegang teguh pada ketentuan peraturan perundang-undangan yang berlaku;
2. bekerja secara profesional, jujur, transparan dan akuntabel;
3. tidak meminta atau menerima pemberian yang berhubungan dengan jabatan saya;
4. menjaga martabat jabatan dan bekerja semata-mata untuk kesejahteraan masyarakat;
5. bersedia menerima sanksi sesuai peraturan apabila melanggar pernyataan ini."""
LETTER_BODY = """Dengan hormat,

Menindaklanjuti kesepakatan {rapat}, yaitu: "{kesepakatan}", bersama ini kami mohon kiranya \
{penerima} berkenan memberikan dukungan anggaran bagi kelanjutan pendidikan SDM \
pekerjaan sosial/kesejahteraan sosial ke jenjang yang lebih tinggi, sesuai rencana aksi: \
{rencana_aksi}.

Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih."""


def _org(code: str) -> Any:
    from sdmkesos.core.models import Organisation

    return Organisation.objects.get(code=code)


def _actor() -> Any:
    from sdmkesos.core.models import User

    user = (User.objects.filter(username="nasional").first()
            or User.objects.filter(role="national_admin", is_active=True).first()
            or User.objects.filter(is_superuser=True, is_active=True).first())
    if user is None:
        raise RuntimeError("seed_demo needs a national administrator (run the people demo "
                           "first, or create one with `sdmkesos adduser`)")
    return user


def ensure_templates() -> Any:
    from .models import LetterTemplate

    tpl, _ = LetterTemplate.objects.get_or_create(
        code="DUKUNGAN-ANGGARAN", defaults={
            "name": "Permohonan dukungan anggaran pendidikan SDM kesos",
            "subject": "Permohonan dukungan anggaran pendidikan lanjut SDM peksos/kesos",
            "body": LETTER_BODY, "number_pattern": "{seq:03d}/{kode}/{bulan}/{tahun}"})
    return tpl


def _kaltara(actor: Any) -> Any:
    from . import actions
    from .models import Agreement

    number = "DEMO/MOU/KEMENSOS-KALTARA/2020"
    found = Agreement.objects.filter(number=number).first()
    if found:
        return found
    a = actions.do_create_agreement(
        actor=actor, channel="system",
        data={"kind": "mou", "number": number,
              "title": "Nota Kesepahaman Kemensos dan Pemerintah Provinsi Kalimantan Utara "
                       "tentang penyiapan SDM kesejahteraan sosial",
              "summary": "Ditandatangani di Kemensos, Jakarta, Selasa 21 Januari 2020. "
                         "Kemensos membantu Pemprov Kaltara meningkatkan kualitas SDM kesos: "
                         "beasiswa Poltekesos Bandung, program pendidikan, diklat jangka pendek "
                         "di Kaltara, program 4 tahun dan magister. Sasaran pertama pegawai "
                         "pemerintah provinsi, kemudian lulusan SMA. Pembiayaan masing-masing; "
                         "Pemprov menyediakan anggaran APBD.",
              "scopes": ["scholarship", "education", "training", "workforce"],
              "start_date": D(2020, 1, 21), "end_date": D(2025, 1, 20)},
        parties=[
            {"organisation": _org("KEMENSOS"), "signatory_name": "Juliari P. Batubara",
             "signatory_position": "Menteri Sosial",
             "obligations": "Menyediakan beasiswa dan program pendidikan di Politeknik "
                            "Kesejahteraan Sosial (Poltekesos) Bandung; mengirim tim "
                            "Poltekesos menggelar diklat jangka pendek di Kaltara; menyiapkan "
                            "program D4 (4 tahun) dan magister."},
            {"name": "Pemerintah Provinsi Kalimantan Utara", "region": "65",
             "signatory_name": "Irianto Lambrie", "signatory_position": "Gubernur Kalimantan "
                                                                       "Utara",
             "obligations": "Menyediakan anggaran dalam APBD; mengusulkan pegawai provinsi "
                            "dan lulusan SMA sebagai peserta pendidikan."}])
    actions.do_sign_agreement(actor=actor, channel="system", agreement=a,
                              signing_date=D(2020, 1, 21))
    kaltara = a.parties.get(region_id="65")
    actions.do_add_funding(actor=actor, channel="system", agreement=a, data={
        "party": kaltara, "source": "cost_sharing", "year": 2020, "amount": Decimal(0),
        "note": "Pembiayaan masing-masing pihak (naskah berita)"})
    for year, amount in ((2020, "750000000"), (2021, "1250000000")):
        actions.do_add_funding(actor=actor, channel="system", agreement=a, data={
            "party": kaltara, "source": "apbd", "year": year, "amount": Decimal(amount),
            "note": "APBD Provinsi Kalimantan Utara (angka ilustrasi)"})
    for kind, desc, people, budget in (
            ("scholarship", "Beasiswa D4 Poltekesos bagi pegawai dan lulusan SMA", 40,
             "1200000000"),
            ("training_batch", "Diklat jangka pendek di Kaltara", 120, "450000000")):
        actions.do_add_plan(actor=actor, channel="system", agreement=a, data={
            "kind": kind, "description": desc + " (target ilustrasi)", "people": people,
            "budget": Decimal(budget)})
    for kind, title, date, people, budget in (
            ("training_batch", "Diklat jangka pendek pekerjaan sosial, Tanjung Selor, "
             "angkatan I (ilustrasi)", D(2020, 9, 14), 40, "150000000"),
            ("training_batch", "Diklat jangka pendek, angkatan II (ilustrasi)", D(2021, 6, 7),
             35, "140000000"),
            ("scholarship", "Beasiswa D4 Poltekesos angkatan 2020 (ilustrasi)", D(2020, 8, 31),
             18, "540000000")):
        actions.do_add_delivery(actor=actor, channel="system", agreement=a, data={
            "kind": kind, "title": title, "date": date, "people": people,
            "budget": Decimal(budget), "note": "DEMO"})
    return a


def _jatim(actor: Any) -> Any:
    from . import actions
    from .models import Agreement

    number = "DEMO/PKS/JATIM-POLTEKESOS/2024"
    found = Agreement.objects.filter(number=number).first()
    if found:
        return found
    a = actions.do_create_agreement(
        actor=actor, channel="system",
        data={"kind": "pks", "number": number,
              "title": "Perjanjian Kerja Sama Pemerintah Provinsi Jawa Timur dan Politeknik "
                       "Kesejahteraan Sosial Bandung di bidang kesejahteraan sosial",
              "summary": "Ditandatangani di Gedung Negara Grahadi, Surabaya, Senin 14 Oktober "
                         "2024. Fokus: penelitian, pendidikan, pengabdian kepada masyarakat "
                         "dan pengembangan SDM kessos. Dosen Poltekesos meningkatkan kapasitas "
                         "SDM kessos dan PSKS Jatim; mahasiswa dan dosen belajar di wilayah "
                         "Jatim; hasil kajian dikembalikan sebagai saran bagi Pemprov.",
              "scopes": ["research", "education", "community_service", "workforce",
                         "training"],
              "start_date": D(2024, 10, 14), "end_date": D(2029, 10, 13)},
        parties=[
            {"name": "Pemerintah Provinsi Jawa Timur", "region": "35",
             "signatory_name": "Adhy Karyono", "signatory_position": "Pj Gubernur Jawa Timur",
             "obligations": "Memfasilitasi pelatihan relawan sosial di UPT PTKS Malang; "
                            "menyediakan peserta dari panti, UPT, balai dan masyarakat."},
            {"organisation": _org("DINSOS-35"), "signatory_name": "Restu Novi Widiani",
             "signatory_position": "Kepala Dinas Sosial Provinsi Jawa Timur",
             "obligations": "Mengoordinasikan SDM kessos binaan (panti, UPT, balai, relawan "
                            "hampir 9.000 orang)."},
            {"organisation": _org("POLTEKESOS"), "signatory_name": "Suharma",
             "signatory_position": "Direktur Poltekesos Bandung",
             "obligations": "Menyediakan dosen untuk peningkatan kapasitas SDM kessos dan "
                            "PSKS; penelitian bersama; mengembalikan hasil kajian sebagai "
                            "rekomendasi bagi Pemprov Jatim."}])
    actions.do_sign_agreement(actor=actor, channel="system", agreement=a,
                              signing_date=D(2024, 10, 14))
    actions.do_add_plan(actor=actor, channel="system", agreement=a, data={
        "kind": "training_batch", "people": 9000,
        "description": "Pelatihan relawan sosial di UPT PTKS Malang (hampir 9.000 relawan)",
        "budget": Decimal(0)})
    actions.do_add_plan(actor=actor, channel="system", agreement=a, data={
        "kind": "field_practice", "people": 60, "budget": Decimal(0),
        "description": "Praktik lapangan mahasiswa Poltekesos di Jatim (target ilustrasi)"})
    actions.do_add_delivery(actor=actor, channel="system", agreement=a, data={
        "kind": "training_batch", "title": "Pelatihan relawan sosial UPT PTKS Malang "
                                           "angkatan I (ilustrasi)",
        "date": D(2025, 3, 10), "people": 240, "budget": Decimal("310000000"),
        "note": "DEMO"})
    r = actions.do_save_research(actor=actor, channel="system", agreement=a, data={
        "title": "Kajian kebutuhan SDM kesejahteraan sosial di panti, UPT dan balai Jawa Timur",
        "researchers": "Dosen dan mahasiswa Poltekesos Bandung", "start_date": D(2025, 2, 1),
        "status": "ongoing"})
    actions.do_save_research(actor=actor, channel="system", agreement=a, research=r, data={
        "findings": "Insan sosial Dinsos Jatim terbatas secara kualitatif maupun kuantitatif; "
                    "widyaiswara UPT PTKS Malang terbatas dibanding hampir 9.000 relawan.",
        "recommendations": "Pelatihan relawan bersama dosen Poltekesos di UPT PTKS Malang; "
                           "jalur pendidikan non-gelar bagi masyarakat yang ingin menjadi SDM "
                           "kessos. (ilustrasi)"})
    return a


def _link_training(actor: Any, agreement: Any) -> int:
    """Link the training demo's batches at UPT PTKS Malang since the PKS was signed (if the
    training demo ran) to the PKS, paid by the province: the agreement page then counts their
    completed participants. Only records not linked yet; none found, nothing done."""
    from sdmkesos.training.models import Batch

    from . import actions

    party = agreement.parties.filter(name="Pemerintah Provinsi Jawa Timur").first()
    batches = Batch.objects.filter(organisation__code="UPT-PTKS-MALANG",
                                   start_date__gte=D(2024, 10, 14),
                                   agreement_link__isnull=True).order_by("start_date")[:4]
    for batch in batches:
        actions.do_link_delivery(actor=actor, channel="system", agreement=agreement,
                                 target="batch", record=batch, party=party,
                                 note="DEMO: angkatan UPT PTKS Malang di bawah PKS")
    return len(batches)


def _rakor(actor: Any, today: dt.date) -> Any:
    from sdmkesos.core.models import Organisation, Region

    from . import actions
    from .models import Meeting

    found = Meeting.objects.filter(title=RAKOR_TITLE).first()
    if found:
        return found
    m = actions.do_create_meeting(actor=actor, channel="system", data={
        "kind": "rakorbang", "title": RAKOR_TITLE, "organiser": _org("BBPPKS-1"),
        "start_date": D(2018, 4, 10), "end_date": D(2018, 4, 12), "venue": "Batam",
        "venue_region": Region.objects.filter(code="21.71").first(),
        "summary": "Diikuti 168 peserta perwakilan dinas sosial dari 8 provinsi dan 132 "
                   "kabupaten/kota; ditutup Kepala BBPPKS Regional I Sumatera, Drs. GRM. "
                   "Soerjo Darsono, MH, Kamis malam 12 April 2018. Berita menyebut 4 hari "
                   "kegiatan sejak 10 April."}, regions=RAKOR_PROVINCES)
    rows: list[dict[str, Any]] = []
    extra = 168 - 132  # 36 more people from the provincial offices
    for i, prov in enumerate(RAKOR_PROVINCES):
        rows.append({"organisation": Organisation.objects.filter(code=f"DINSOS-{prov}").first(),
                     "organisation_name": f"Dinas Sosial provinsi {prov}",
                     "region": Region.objects.get(code=prov),
                     "count": extra // 8 + (1 if i < extra % 8 else 0)})
    for region in Region.objects.filter(level=2, parent_id__in=RAKOR_PROVINCES):
        org = Organisation.objects.filter(code=f"DINSOS-{region.code}").first()
        rows.append({"organisation": org, "organisation_name": f"Dinas Sosial {region.name}",
                     "region": region, "count": 1})
    actions.do_add_participants(actor=actor, channel="system", meeting=m, rows=rows,
                                note="daftar hadir (jumlah per instansi)")
    actions.do_add_session(actor=actor, channel="system", meeting=m, data={
        "kind": "panel", "title": "Standar kompetensi teknis, manajerial dan profesional SDM "
                                  "kesos", "date": D(2018, 4, 10),
        "findings": "Penguatan SDM kesos untuk pelayanan sosial profesional dan pengurangan "
                    "kemiskinan."})
    fgd = actions.do_add_session(actor=actor, channel="system", meeting=m, data={
        "kind": "fgd", "title": "FGD pengembangan SDM penyelenggara kesejahteraan sosial",
        "date": D(2018, 4, 11),
        "findings": "Sebagian besar SDM Dinas Sosial wilayah Regional Sumatera tidak "
                    "berlatar belakang pendidikan pekerjaan sosial/kesejahteraan sosial. "
                    "Beberapa daerah baru mengetahui jabatan fungsional pekerja sosial dan "
                    "penyuluh sosial."})
    actions.do_add_session(actor=actor, channel="system", meeting=m, data={
        "kind": "fgd", "title": "FGD kelembagaan penyelenggara kesejahteraan sosial",
        "date": D(2018, 4, 11)})
    provinces = [o for o in (Organisation.objects.filter(code=f"DINSOS-{p}").first()
                             for p in RAKOR_PROVINCES) if o is not None]
    plan = [
        ("Dinas sosial memberi kesempatan SDM aparaturnya yang tidak berlatar belakang "
         "peksos/kesos mengikuti pendidikan tinggi profesi dan vokasi pekerjaan "
         "sosial/kesejahteraan sosial.",
         [("Usulkan pegawai non-peksos/kesos untuk pendidikan lanjut", provinces,
           D(2018, 12, 31), "done")]),
        ("STKS Bandung bersurat resmi kepada Pemda se-Regional Sumatera untuk memberikan "
         "dukungan anggaran bagi kelanjutan pendidikan SDM peksos/kesos ke jenjang lebih "
         "tinggi.",
         [("Surat permohonan dukungan anggaran kepada Pemda se-Regional Sumatera",
           [_org("POLTEKESOS")], D(2018, 6, 30), "done")]),
        ("Pendampingan dan bantuan teknis pembentukan tim asesor pekerja sosial dan "
         "penyuluh sosial.",
         [("Bimbingan teknis pembentukan tim asesor", [_org("BBPPKS-1")], D(2018, 10, 31),
           "in_progress")]),
        ("Sosialisasi jabatan fungsional pekerja sosial dan penyuluh sosial.",
         [("Sosialisasi JF Pekerja Sosial dan Penyuluh Sosial di 8 provinsi",
           [_org("BBPPKS-1"), _org("KEMENSOS-PUSDIKLATBANGPROF")], D(2018, 9, 30), "open")]),
        ("Penguatan kapasitas kelembagaan penyelenggara kesejahteraan sosial di wilayah "
         "Regional I Sumatera (ringkasan tema rakorbang; butir kelima tidak dirinci berita).",
         [("Pemetaan kebutuhan penguatan kelembagaan (ilustrasi)", provinces,
           D(2019, 3, 31), "open")]),
    ]
    items = []
    for text, acts in plan:
        res = actions.do_add_resolution(actor=actor, channel="system", meeting=m, text=text,
                                        session=fgd)
        for title, owners, due, status in acts:
            item = actions.do_create_action(actor=actor, channel="system", resolution=res,
                                            data={"title": title, "due_date": due},
                                            owners=owners)
            if status != "open":
                actions.do_update_action(
                    actor=actor, channel="system", item=item,
                    data={"status": status, "evidence": "Laporan kegiatan (ilustrasi)"
                          if status == "done" else ""},
                    note="Tindak lanjut dicatat (ilustrasi)")
            items.append(item)
    letter = actions.do_create_letter(
        actor=actor, channel="system", template=ensure_templates(), sender=_org("POLTEKESOS"),
        recipients=[f"Pemerintah Provinsi {Region.objects.get(code=p).name.title()}"
                    for p in RAKOR_PROVINCES],
        signatory_name="Direktur STKS Bandung (ilustrasi)", signatory_position="Direktur",
        date=D(2018, 5, 21), action=items[1])
    del letter
    # The next year's meeting (illustrative) opens with the status of these actions.
    follow = actions.do_create_meeting(actor=actor, channel="system", data={
        "kind": "rakorbang", "title": "Rakorbang Regional I Sumatera 2019 (ilustrasi)",
        "organiser": _org("BBPPKS-1"), "start_date": D(2019, 4, 8), "end_date": D(2019, 4, 11),
        "venue": "Padang", "summary": "Data ilustrasi: membuka dengan status rencana aksi "
                                      "Rakorbang 2018."}, regions=RAKOR_PROVINCES)
    assert follow.previous_id == m.pk
    return m


def _pacts(actor: Any) -> None:
    from sdmkesos.core.models import User

    from . import actions
    from .models import Appointment, PactText

    if PactText.current() is None:
        actions.do_publish_pact_text(actor=actor, channel="system", body=PACT_TEXT)
    if Appointment.objects.filter(decree_number__startswith="DEMO/").exists():
        return
    event = ("Pelantikan dan Pengambilan Sumpah Jabatan Fungsional Dosen, Wakil Direktur, "
             "Kepala Satuan Pengawas Internal dan Pejabat Unsur Pelaksana Akademik di "
             "lingkungan Poltekesos Bandung, Jakarta, 21 Januari 2020")
    for i, (name, position) in enumerate((
            ("Wakil Direktur I (ilustrasi)", "Wakil Direktur Bidang Akademik"),
            ("Kepala SPI (ilustrasi)", "Kepala Satuan Pengawas Internal"),
            ("Dosen (ilustrasi)", "Dosen, Jabatan Fungsional Lektor"))):
        actions.do_create_appointment(actor=actor, channel="system", data={
            "official_name": name, "position": position, "organisation": _org("POLTEKESOS"),
            "decree_number": f"DEMO/SK-POLTEKESOS/{i + 1}/2020",
            "decree_date": D(2020, 1, 15), "appointed_on": D(2020, 1, 21),
            "oath_text": "Sumpah jabatan", "event": event})
    official = User.objects.filter(username="kabmalang").first()
    actions.do_create_appointment(actor=actor, channel="system", data={
        "official_name": "Kepala Bidang Rehabilitasi Sosial (ilustrasi)", "user": official,
        "position": "Kepala Bidang Rehabilitasi Sosial", "organisation": _org("DINSOS-35.07"),
        "decree_number": "DEMO/SK-KABMALANG/1/2025", "decree_date": D(2025, 1, 6),
        "appointed_on": D(2025, 1, 13), "oath_text": "Sumpah jabatan"})


def seed_demo(*, actor: Any = None, today: dt.date | None = None) -> dict[str, int]:
    """Create the partnership demo data (idempotent). Returns counts for the demo summary."""
    from django.db import transaction

    from . import actions
    from .models import ActionItem, Agreement, Appointment, Meeting

    actor = actor or _actor()
    today = today or dt.date.today()
    with transaction.atomic():
        ensure_templates()
        _kaltara(actor)
        _link_training(actor, _jatim(actor))
        _rakor(actor, today)
        _pacts(actor)
        actions.refresh_statuses(today)
    actions.send_reminders(today)
    return {"agreements": Agreement.objects.count(), "meetings": Meeting.objects.count(),
            "action_items": ActionItem.objects.count(),
            "appointments": Appointment.objects.count()}
