"""The subject access export as a PDF, in plain words: the person's details, then each kind of record, then who
looked at the record. Embeds a Unicode font (as police report PDFs do) so nothing the person said is altered."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from joinedup.police.pdf import PdfUnavailable, font_path

TABLE_TITLES = {
    "people.personagencylink": "Agencies that know the person",
    "people.contactattempt": "Contact with the person",
    "cases.case": "Cases",
    "cases.casetransition": "Case changes",
    "cases.keyworkerassignment": "Key workers",
    "cases.timelineentry": "The shared story (timeline)",
    "cases.handover": "Handovers",
    "cases.task": "Tasks",
    "cases.closure": "Case closures",
    "incidents.incident": "What happened (incidents)",
    "incidents.perpetrator": "People who did it",
    "incidents.triageitem": "Reports picked up by the hub",
    "consent.consent": "Consent",
    "consent.sharingdecision": "Decisions to share without consent",
    "risk.riskassessment": "Risk assessments",
    "risk.riskjudgement": "Professional judgements of risk",
    "referrals.referral": "Referrals",
    "referrals.referraltransition": "Referral history",
    "referrals.signpost": "Services suggested",
    "police.policereport": "Reports to the police",
    "police.victimscodeevidence": "Victims' Code rights met",
}


def _title(table: str) -> str:
    return TABLE_TITLES.get(table, table.rsplit(".", maxsplit=1)[-1].replace("_", " ").capitalize())


def _text(value: Any) -> str:
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_text(v)}" for k, v in value.items())
    return str(value)


def render(export: dict[str, Any]) -> bytes:
    font = font_path()
    if not font.exists():
        raise PdfUnavailable(f"PDF needs the font at {font} (apt-get install fonts-dejavu-core); use the JSON export.")
    pdf = FPDF(format="A4")
    pdf.set_title(f"Records held about {export['about']['name']}")
    pdf.set_author("JoinedUp")
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 10, gap: float = 1) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def fields(row: dict[str, Any]) -> None:
        for key, value in row.items():
            line(f"{key.replace('_', ' ').capitalize()}: {_text(value)}", 9, 0)
        pdf.ln(2)

    line(f"Records held about {export['about']['name']}", 16, 3)
    line(f"Produced {export['produced_at'][:16].replace('T', ' at ')} for {export['produced_for']}", 9, 3)
    line("The person's details", 13, 2)
    fields(export["person"])
    for table, rows in export["records"].items():
        line(f"{_title(table)} ({len(rows)})", 13, 2)
        for row in rows:
            fields(row)
    line(f"Who looked at or changed the record ({len(export['access_log'])})", 13, 2)
    for entry in export["access_log"]:
        line(
            f"{entry['at'][:16].replace('T', ' ')} — {entry['who']}"
            + (f" ({entry['agency']})" if entry["agency"] else "")
            + f": {entry['action']}"
            + (f" — {entry['purpose']}" if entry["purpose"] else ""),
            9,
            0,
        )
    return bytes(pdf.output())
