"""Reading age and forbidden text on rendered pages, for the tests that hold every public page to plain words.

Reading age is the Flesch–Kincaid grade plus 5 (textstat 0.7.3, which counts syllables offline with pyphen).
The text is what a person reads on the page: the body without scripts, styles, hidden dialogs or the skip link.
Headings, list items, labels, buttons, table cells and paragraphs each end a sentence, as a reader takes them —
without this a bulleted list would count as one long sentence.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import textstat

BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "legend",
    "button",
    "td",
    "th",
    "dt",
    "dd",
    "caption",
    "summary",
    "div",
    "a",
    "strong",
    "span",
    "blockquote",
    "br",
    "tr",
    "option",
    "textarea",
}
SKIPPED = {"script", "style", "dialog", "noscript", "svg", "template", "title", "head"}

# What must never reach a page: file names, section marks, source tags, seed files, raw values with
# underscores, ISO dates, "1 reports".
FORBIDDEN = {
    "a file name": re.compile(r"\b[\w-]+\.(?:md|py|txt|html|json|csv)\b"),
    "a section mark": re.compile(r"§"),
    "a source tag": re.compile(r"\[S\d+\]"),
    "a seed reference": re.compile(r"\bseed \d{3}\b", re.IGNORECASE),
    "a raw value": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a wrong plural": re.compile(r"(?<![\d,])\b1 (?:reports|people|cases|incidents|referrals|days|tasks|records)\b"),
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The words a person reads, one sentence a line."""
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    body = re.sub(r'<a href="#main-content" class="govuk-skip-link"[^>]*>.*?</a>', "", body, flags=re.S)
    parser = _Text()
    parser.feed(body)
    lines = []
    for raw in "".join(parser.parts).split("\n"):
        line = " ".join(raw.split())
        if not line or not re.search(r"[A-Za-z]", line):
            continue
        lines.append(line if line[-1] in ".?!:" else line + ".")
    return "\n".join(lines)


def reading_age(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text)) + 5


def forbidden_in(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r}" for what, pattern in FORBIDDEN.items() for m in pattern.finditer(text)]
