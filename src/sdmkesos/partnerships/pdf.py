"""Official letters as PDF (fpdf2, the core Helvetica font: no font files to ship). Indonesian
needs only Latin letters; typographic punctuation is mapped to its Latin-1 equivalent.

The letterhead reuses the operator's issuer settings of the certification app
(``SDMKESOS_ISSUER_LOGO``, ``SDMKESOS_ISSUER_NAME``; see ``certification.conf``): the logo at the
left, the issuer name (when the operator set one) above the sender's name. Without them the
letterhead is the sender's name alone."""

from __future__ import annotations

import logging
from typing import Any

from fpdf import FPDF

from sdmkesos.certification import conf

log = logging.getLogger(__name__)

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
REPLACE = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
           "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-"}


def latin1(text: str) -> str:
    for src, dst in REPLACE.items():
        text = text.replace(src, dst)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def tanggal(date: Any) -> str:
    return f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}"


def letterhead_issuer() -> tuple[str, str | None]:
    """(issuer name or "" when the operator has not configured one, logo path or None)."""
    name = conf.issuer_name()
    logo = conf.issuer_logo()
    return (name if name != conf.DEFAULT_ISSUER_NAME else "",
            str(logo) if logo is not None and logo.is_file() else None)


def _letterhead(pdf: FPDF, sender: str, issuer: str, logo: str | None) -> None:
    top = pdf.get_y()
    left = 25.0
    if logo is not None:
        try:
            pdf.image(logo, x=25, y=top, h=22)
            left = 50.0
        except Exception:  # an unreadable image must not stop the letter
            log.warning("letter logo %s could not be drawn", logo, exc_info=True)
    pdf.set_xy(left, top + (2 if logo else 0))
    width = 190 - left
    if issuer and issuer.strip().upper() != sender.strip().upper():
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(width, 6, latin1(issuer.upper()), align="C")
        pdf.set_x(left)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(width, 7, latin1(sender.upper()), align="C")
    bottom = max(pdf.get_y(), top + 22 if left > 25 else 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(25, bottom + 2, 190, bottom + 2)
    pdf.set_y(bottom + 8)


def letter_pdf(letter: Any) -> bytes:
    """One page per recipient: letterhead, number, date, recipient, subject, body, signatory."""
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(latin1(f"{letter.number} {letter.subject}"))
    pdf.set_creator("SDM Kesos")
    issuer, logo = letterhead_issuer()
    if issuer:
        pdf.set_author(latin1(issuer))
    for recipient in letter.recipients.all():
        pdf.add_page()
        _letterhead(pdf, letter.sender.name, issuer, logo)
        pdf.set_font("Helvetica", "", 11)
        pdf.cell(0, 6, latin1(f"Nomor    : {letter.number}"), new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, latin1(f"Perihal  : {letter.subject}"), new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, latin1(f"Tanggal  : {tanggal(letter.date)}"), new_x="LMARGIN",
                 new_y="NEXT")
        pdf.ln(6)
        pdf.multi_cell(0, 6, latin1(f"Yth. {recipient.name}\ndi tempat"))
        pdf.ln(4)
        body = letter.body.replace("{penerima}", recipient.name)
        pdf.multi_cell(0, 6, latin1(body), align="J")
        pdf.ln(12)
        pdf.set_x(120)
        pdf.multi_cell(0, 6, latin1(f"{letter.signatory_position}\n\n\n\n"
                                    f"{letter.signatory_name}"))
    return bytes(pdf.output())
