"""The meeting's papers as a PDF: the agenda with, for each case, the person's voice first, the research and the
actions, and the minutes only where the reader's agency was present. Marked with its sensitivity on every page.
Built from what the one door let this reader see (selectors.agenda), never from the tables directly."""

from __future__ import annotations

from fpdf import FPDF

from joinedup.access.domain.minimum import HELD_ELSEWHERE
from joinedup.panels.domain.rules import STATUS_LABELS, VULNERABILITY_LABELS, Status, Vulnerability
from joinedup.panels.models import Meeting
from joinedup.panels.selectors import AgendaItem
from joinedup.police.pdf import PdfUnavailable, font_path

MARKING = "OFFICIAL-SENSITIVE: panel members only. Do not forward. Every export is recorded."


class Papers(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, MARKING, new_x="LMARGIN", new_y="NEXT", align="C")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 5, f"{MARKING} Page {self.page_no()}", align="C")


def _day(meeting: Meeting) -> str:
    return f"{meeting.date.day} {meeting.date:%B %Y}"


def render(meeting: Meeting, items: list[AgendaItem]) -> bytes:
    font = font_path()
    if not font.exists():
        raise PdfUnavailable(f"The papers need the font at {font} (apt-get install fonts-dejavu-core).")
    pdf = Papers(format="A4")
    pdf.set_title(f"{meeting.panel.name}: papers for {_day(meeting)}")
    pdf.set_author("JoinedUp")
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 11, gap: float = 2) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(f"{meeting.panel.name}", 16, 2)
    line(f"Meeting on {_day(meeting)}", 13, 4)
    if not items:
        line("No cases are listed for this meeting.")
    for number, item in enumerate(items, start=1):
        referral = item.referral
        name = referral.case.person.display_name if item.name_shown else "A person known to the partnership"
        marks = [w for w, on in (("urgent", referral.urgent), ("a repeat", referral.repeat)) if on]
        line(f"{number}. {name}" + (f" ({', '.join(marks)})" if marks else ""), 13, 2)
        # The person's voice is read first: as brought by their advocate or key worker, then as minuted.
        if item.minutes is not None:
            line("The person's voice, as read at the meeting:", 11, 1)
            line(item.minutes.persons_voice if item.voice_shown else HELD_ELSEWHERE, 11, 3)
        elif item.voice is not None:
            by = "their key worker" if item.voice.as_role == "key_worker" else "their advocate"
            line(f"The person's voice (brought by {by}):", 11, 1)
            line(item.voice.words, 11, 3)
        line(f"Status: {STATUS_LABELS[Status(referral.status)]}")
        if item.criteria:
            line("Why the panel hears it: " + " ".join(f"{c['label']}: {c['rule']}" for c in item.criteria))
        if item.vulnerability:
            line("Vulnerability: " + "; ".join(VULNERABILITY_LABELS[Vulnerability(v)] for v in item.vulnerability))
        line(f"Summary: {item.summary}")
        for action in item.carried_actions:
            line(f"Carried: {action.what} — {action.agency.name} ({action.owner.name}), due {action.due_on:%d/%m/%Y}")
        for research in item.research:
            line(f"Research by {research.agency.name}: {research.summary}")
        if item.minutes is not None:
            line(f"Discussion: {item.minutes.discussion}")
            line("Present for this case: " + ", ".join(item.present))
        elif item.minutes_held:
            line("The minutes of this case are shown only to the agencies present for it.")
        for action in item.actions:
            done = f"done: {action.evidence}" if action.done_at else "not done yet"
            owner = f"{action.agency.name} ({action.owner.name})"
            line(f"Action: {action.what} — {owner}, due {action.due_on:%d/%m/%Y}; {done}")
        if item.held_back:
            line(f"Some of this case is not shown to your agency. {HELD_ELSEWHERE}")
        pdf.ln(3)
    return bytes(pdf.output())
