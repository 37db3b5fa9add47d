"""The strategic needs assessment as a PDF: the staff's narrative and every published table, as on the page.
Same approach as the police report PDFs (police/pdf.py): fpdf2 with DejaVu Sans embedded, so any text staff write
prints as written; without the font the PDF is refused (503) and the HTML version still has everything."""

from __future__ import annotations

from datetime import date, datetime

from fpdf import FPDF
from fpdf.fonts import FontFace

from joinedup.insights.models import AssessmentSection
from joinedup.insights.selectors import Assessment
from joinedup.police.pdf import PdfUnavailable, font_path


def _day(value: object) -> str:

    if isinstance(value, datetime | date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def render(report: Assessment, *, partnership: str) -> bytes:
    font = font_path()
    if not font.exists():
        raise PdfUnavailable(
            f"PDF needs the font at {font} (apt-get install fonts-dejavu-core); use the web page meanwhile."
        )
    title = f"Strategic needs assessment {report.year} to {report.year + 1}"
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(partnership)
    pdf.set_lang("en-GB")
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 11, gap: float = 2) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(title, 18, 3)
    line(partnership, 12, 1)
    line(f"{_day(report.period.start)} to {_day(report.period.end)}", 11, 4)
    line(str(report.method["text"]), 9, 5)
    for kind, label in AssessmentSection.Kind.choices:
        section = report.sections.get(kind)
        line(str(label), 15, 2)
        if section is None:
            line("Not written yet.", 11, 4)
        else:
            line(section.text, 11, 1)
            line(f"Written by {section.author_name}, {_day(section.written_at)} (version {section.version})", 9, 4)
    line("The figures", 15, 3)
    for figures in report.dashboards:
        line(figures.dashboard.title, 13, 2)
        for published in figures.tables:
            line(published.table.title, 11, 1)
            if not published.available:
                line("No reports yet: this is not recorded in JoinedUp yet.", 10, 3)
                continue
            pdf.set_font("DejaVu", size=9)
            with pdf.table(
                col_widths=(60, 20, 20),
                headings_style=FontFace(emphasis=None, fill_color=(243, 242, 241)),
                line_height=5,
            ) as table:
                heading = table.row()
                for text in ("", "This year", "Year before"):
                    heading.cell(text)
                for row in published.rows:
                    cells = table.row()
                    cells.cell(row.label)
                    cells.cell("hidden" if row.suppressed else str(row.value))
                    cells.cell("hidden" if row.previous_suppressed else str(row.previous))
            pdf.ln(4)
    return bytes(pdf.output())
