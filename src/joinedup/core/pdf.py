"""Printable documents as PDFs with a Unicode font embedded (DejaVu Sans, Debian's fonts-dejavu-core), so a
person's words go in exactly as written. Without the font the PDF is refused (503) rather than altered; every
document also has an HTML version."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from fpdf import FPDF

from joinedup.core.errors import Unavailable


class PdfUnavailable(Unavailable):
    code = "pdf_unavailable"


def font_path() -> Path:
    return Path(getattr(settings, "JOINEDUP_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))


def document(*, title: str, subtitle: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """A plain document: a title, a line under it, then headed sections of paragraphs."""
    font = font_path()
    if not font.exists():
        raise PdfUnavailable(
            f"PDF needs the font at {font} (apt-get install fonts-dejavu-core); use the page version meanwhile."
        )
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("JoinedUp")
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 11, gap: float = 2) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(title, 16, 3)
    line(subtitle, 10, 4)
    for heading, paragraphs in sections:
        line(heading, 13, 2)
        for paragraph in paragraphs or ["Nothing written yet."]:
            line(paragraph, 11, 1)
        pdf.ln(2)
    return bytes(pdf.output())
