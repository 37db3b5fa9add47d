"""The police report package as a PDF, for forces without an interface. The person's words go in exactly as
recorded, so the PDF embeds a Unicode font (DejaVu Sans, Debian's fonts-dejavu-core); without it the PDF is
refused rather than altered, and the HTML and JSON versions still carry everything."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from joinedup.core.pdf import PdfUnavailable, font_path

# One font rule for every document (core/pdf.py).
__all__ = ["PdfUnavailable", "font_path", "render"]


def render(package: dict[str, Any], *, reference: str, title: str) -> bytes:
    font = font_path()
    if not font.exists():
        raise PdfUnavailable(
            f"PDF needs the font at {font} (apt-get install fonts-dejavu-core); use the HTML or JSON version meanwhile."
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

    line(title, 16, 4)
    line(f"Reference {reference}", 10)
    via = package.get("reported_via", {})
    line(f"Reported through {via.get('agency', '')}" + (" (third-party reporting)" if via.get("third_party") else ""))
    victim = package.get("victim", {})
    if victim.get("anonymous"):
        line("The person asked to stay anonymous to the police. Contact them through: " + victim["contact_through"])
    else:
        line(
            f"Victim: {victim.get('name', '')}"
            + (f", born {victim['date_of_birth']}" if victim.get("date_of_birth") else "")
        )
        if victim.get("communication_needs"):
            line(f"Communication needs: {victim['communication_needs']}")
        if victim.get("reasonable_adjustments"):
            line("Reasonable adjustments: " + ", ".join(victim["reasonable_adjustments"]))
        safe = victim.get("safe_contact", {})
        line(
            "Safe contact: "
            + (", ".join(safe.get("allowed", [])) or "do not contact directly")
            + (f" — {safe['notes']}" if safe.get("notes") else "")
        )
        reach = [x for x in (safe.get("phone"), safe.get("email"), safe.get("address")) if x]
        if reach:
            line("Reach them on (as they allowed): " + "; ".join(reach))
    line(f"Updates wanted: {package.get('updates', {}).get('cadence', '')}")
    for number, incident in enumerate(package.get("incidents", []), start=1):
        line(f"Incident {number}: {incident['when']}, {incident['where']}", 13, 2)
        line("In their own words:", 11, 1)
        line(incident["in_their_own_words"], 11, 3)
        for account in incident.get("other_accounts", []):
            line(f"Also told by {account['told_by']}, recorded {account['recorded_text']}:", 11, 1)
            line(account["in_their_own_words"], 11, 3)
        hostility = incident["perceived_hostility"]
        if hostility["strands"]:
            line(
                "Perceived hostility: "
                + ", ".join(hostility["strands"])
                + " — perceived by "
                + ", ".join(hostility["perceived_by"])
                + ". "
                + hostility["note"]
            )
        if incident["kinds"]:
            line("What happened: " + ", ".join(incident["kinds"]))
        if incident["possible_offences"]:
            line("Possible offences: " + "; ".join(incident["possible_offences"]))
        for perpetrator in incident["perpetrators"]:
            line(
                f"Who: {perpetrator['relationship']}"
                + (f" — {perpetrator['details']}" if perpetrator["details"] else "")
            )
        if incident["injuries"]:
            line(f"Injuries: {incident['injuries']}")
        if incident["impacts"]:
            line("Impact: " + ", ".join(incident["impacts"]))
    return bytes(pdf.output())
