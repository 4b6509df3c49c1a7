"""The printable certificate (A4 landscape, Indonesian): fpdf2 with the DejaVu fonts shipped in
``fonts/`` and a QR code (segno) holding the short verification URL. No network."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from fpdf import FPDF

from . import conf
from .models import Certificate, CompletionCredential

FONTS = Path(__file__).parent / "fonts"
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def tanggal(day: object) -> str:
    d = day  # a date
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"  # type: ignore[attr-defined]


def qr_png(url: str) -> io.BytesIO:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=2)
    buf.seek(0)
    return buf


def _page(title: str, heading: str, number: str, intro: str, name: str,
          colour: tuple[int, int, int], top: float) -> tuple[FPDF, float]:
    """An A4 landscape certificate up to the holder's name: double frame in ``colour``, the
    operator's logo and issuer name, ``heading``, the number, ``intro`` and ``name`` (shrunk
    to fit). Returns the document and the y the layout below is measured from."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(conf.issuer_name())
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    w, h = pdf.w, pdf.h
    pdf.set_draw_color(*colour)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, w - 16, h - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, w - 22, h - 22)

    logo = conf.issuer_logo()
    y = top
    if logo is not None and logo.is_file():
        pdf.image(str(logo), x=(w - 24) / 2, y=y, h=24)
        y += 27
    pdf.set_xy(15, y)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(w - 30, 7, conf.issuer_name().upper(), align="C")
    pdf.set_xy(15, y + 14)
    pdf.set_font("DejaVu", "B", 28)
    pdf.set_text_color(*colour)
    pdf.cell(w - 30, 13, heading, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(15, y + 28)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(w - 30, 6, f"Nomor: {number}", align="C")
    pdf.set_xy(15, y + 40)
    pdf.cell(w - 30, 6, intro, align="C")
    pdf.set_xy(15, y + 48)
    size = 22.0
    pdf.set_font("DejaVu", "B", size)
    while size > 10 and pdf.get_string_width(name) > w - 40:
        size -= 1
        pdf.set_font("DejaVu", "B", size)
    pdf.cell(w - 30, 11, name, align="C")
    return pdf, y


def render(cert: Certificate) -> bytes:
    pdf, y = _page(f"Sertifikat Kompetensi {cert.number}", "SERTIFIKAT KOMPETENSI",
                   cert.number, "Dengan ini menyatakan bahwa", cert.person.name, (40, 70, 110),
                   20.0)
    w, h = pdf.w, pdf.h
    pdf.set_xy(15, y + 62)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(w - 30, 6, "telah dinyatakan KOMPETEN pada skema sertifikasi", align="C")
    pdf.set_xy(15, y + 70)
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(w - 30, 8, f"{cert.scheme.name} ({cert.scheme.code})", align="C")

    pdf.set_xy(25, y + 84)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(170, 5, "Unit kompetensi:")
    pdf.set_font("DejaVu", "", 8.5)
    for i, unit in enumerate(cert.scheme.units.all()):
        pdf.set_xy(25, y + 90 + i * 4.6)
        pdf.cell(170, 4.6, f"{unit.code}  {unit.title}")

    pdf.set_xy(25, h - 38)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(170, 5, f"Berlaku {tanggal(cert.valid_from)} sampai {tanggal(cert.valid_until)}")
    url = conf.verify_url(cert.public_id)
    pdf.set_xy(25, h - 31)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(170, 4, "Keaslian dan status sertifikat ini (aktif, dibekukan, dicabut, "
                   f"kedaluwarsa) dapat diperiksa di {url} atau dengan memindai kode QR. "
                   "Versi digital ditandatangani (W3C Verifiable Credential, eddsa-jcs-2022) "
                   f"oleh {conf.issuer_did()}.")
    pdf.image(qr_png(url), x=w - 62, y=h - 66, w=42, h=42)
    pdf.set_xy(w - 72, h - 23)
    pdf.set_font("DejaVu", "", 7)
    pdf.cell(62, 4, url.split("://", 1)[-1], align="C")
    return bytes(pdf.output())


def render_completion(credential: CompletionCredential) -> bytes:
    """The printable training completion certificate, same frame and QR code as ``render``."""
    nomination = credential.nomination
    batch = nomination.batch
    programme = batch.programme
    name = credential.person.name
    pdf, y = _page(f"Sertifikat Pelatihan {credential.number}", "SERTIFIKAT PELATIHAN",
                   credential.number, "Diberikan kepada", name, (40, 90, 70), 22.0)
    w, h = pdf.w, pdf.h
    pdf.set_xy(15, y + 62)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(w - 30, 6, "yang telah mengikuti dan dinyatakan LULUS", align="C")
    pdf.set_xy(15, y + 70)
    pdf.set_font("DejaVu", "B", 15)
    title = programme.name
    while pdf.get_string_width(title) > w - 40 and len(title) > 20:
        title = title[:-4] + "…"
    pdf.cell(w - 30, 8, title, align="C")
    pdf.set_xy(15, y + 80)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(w - 30, 6, f"Angkatan {batch.number}, {tanggal(batch.start_date)} s.d. "
             f"{tanggal(batch.end_date)}, {programme.jp} jam pelajaran", align="C")
    url = conf.verify_url(credential.public_id)
    pdf.set_xy(25, h - 38)
    pdf.set_font("DejaVu", "", 10)
    completed = nomination.completed_on or batch.end_date
    pdf.cell(170, 5, f"Lulus {tanggal(completed)}")
    pdf.set_xy(25, h - 31)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(170, 4, "Keaslian dan status sertifikat ini dapat diperiksa di "
                   f"{url} atau dengan memindai kode QR. Versi digital: Open Badges 3.0 "
                   "(W3C Verifiable Credential, eddsa-jcs-2022) ditandatangani oleh "
                   f"{conf.issuer_did()}.")
    pdf.image(qr_png(url), x=w - 62, y=h - 66, w=42, h=42)
    pdf.set_xy(w - 72, h - 23)
    pdf.set_font("DejaVu", "", 7)
    pdf.cell(62, 4, url.split("://", 1)[-1], align="C")
    return bytes(pdf.output())
