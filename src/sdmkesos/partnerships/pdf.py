"""Official letters as PDF (fpdf2, the core Helvetica font: no font files to ship). Indonesian
needs only Latin letters; typographic punctuation is mapped to its Latin-1 equivalent."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

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


def letter_pdf(letter: Any) -> bytes:
    """One page per recipient: letterhead, number, date, recipient, subject, body, signatory."""
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(latin1(f"{letter.number} {letter.subject}"))
    pdf.set_creator("SDM Kesos")
    for recipient in letter.recipients.all():
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, latin1(letter.sender.name.upper()), align="C")
        pdf.set_draw_color(0, 0, 0)
        pdf.line(25, pdf.get_y() + 2, 190, pdf.get_y() + 2)
        pdf.ln(8)
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
