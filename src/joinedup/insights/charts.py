"""Server-side SVG bar charts (matplotlib), always shown beside a table of the same figures.

The SVG is placed inline with role="img", a <title> and a <desc> that states the figures in words, so a screen
reader gets the numbers without the picture. The page's Content-Security-Policy forbids inline styles
(style-src 'self'), so matplotlib's style attributes are rewritten as SVG presentation attributes (fill, stroke,
font-size...), which are not styles and are allowed. Text stays text (svg.fonttype "none"): it scales, and
assistive technology and translation tools can read it.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET

import matplotlib
from django.core.cache import cache
from markupsafe import Markup, escape
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

# GOV.UK colours: blue for this period, mid grey for the previous one (contrast ≥ 3:1 against white).
THIS_PERIOD = "#1d70b8"
PREVIOUS_PERIOD = "#505a5f"
TEXT = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"

_PRESENTATION = {
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "opacity", "font-size", "font-family", "font-weight", "font-style", "text-anchor",
    "clip-path",
}  # fmt: skip


def _attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font":  # the shorthand matplotlib writes, e.g. "10px 'DejaVu Sans'"
            match = re.match(r"(?:(\w+) )?([\d.]+)px", value)
            if match:
                element.set("font-size", f"{match.group(2)}px")
            element.set("font-family", FONT)
        elif name in _PRESENTATION:
            element.set(name, value)
    for child in element:
        _attributes(child)


def _clean(svg: str, *, title: str, description: str, ident: str) -> str:
    root = ET.fromstring(svg)  # noqa: S314 — matplotlib's own output, built from our labels, never user XML
    for parent in root.iter():
        for child in list(parent):
            if child.tag in {f"{{{SVG}}}style", f"{{{SVG}}}metadata"}:
                parent.remove(child)
    _attributes(root)
    for text in root.iter(f"{{{SVG}}}text"):
        text.set("font-family", FONT)
    # Several charts share one page: every id (and every reference to one) gets this chart's own prefix.
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{ident}-{value}")
            elif "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{ident}-"))
            elif name.endswith("href") and value.startswith("#"):
                element.set(name, f"#{ident}-{value[1:]}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title")
    root.set("aria-describedby", f"{ident}-desc")
    root.set("focusable", "false")
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("class", "app-chart__svg")
    desc = ET.Element(f"{{{SVG}}}desc", {"id": f"{ident}-desc"})
    desc.text = description
    heading = ET.Element(f"{{{SVG}}}title", {"id": f"{ident}-title"})
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    return ET.tostring(root, encoding="unicode")


def _render(title: str, labels: tuple[str, ...], values: tuple[float, ...], previous: tuple[float, ...] | None) -> str:
    # The object-oriented Figure (not pyplot) keeps no global state, so threads serving requests cannot collide.
    # (matplotlib is imported once per process, at start-up: about a second, paid before any request.)
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "joinedup"  # stable ids: the same figures give the same SVG
    shown = [label if len(label) <= 40 else label[:38] + "…" for label in labels]
    rows = len(labels) * (2 if previous else 1)
    height = max(1.8, 0.8 + 0.42 * rows)
    figure = Figure(figsize=(7.5, height), dpi=72)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    width = 0.4 if previous else 0.7
    offset = width / 2 if previous else 0
    axes.barh([p - offset for p in positions], values, height=width, color=THIS_PERIOD, label="This period")
    if previous:
        axes.barh(
            [p + offset for p in positions], previous, height=width, color=PREVIOUS_PERIOD, label="Previous period"
        )
        # Above the bars, never over them.
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, frameon=False, fontsize=11, borderaxespad=0.2)
    axes.set_yticks(positions, labels=shown)
    axes.invert_yaxis()
    axes.tick_params(colors=TEXT, labelsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_xlim(left=0)
    # A fixed layout from the longest label (tight_layout would draw the whole figure once more to measure it).
    left = min(0.5, 0.04 + 0.0125 * max((len(label) for label in shown), default=4))
    top = 1 - (0.55 if previous else 0.2) / height
    figure.subplots_adjust(left=left, right=0.97, top=top, bottom=0.45 / height)
    out = io.StringIO()
    FigureCanvasSVG(figure).print_svg(out)
    return out.getvalue()


CACHE_SECONDS = 60 * 60 * 24 * 7  # the key is the figures themselves: changed figures are a new key, never stale


def bar_chart(
    *, title: str, labels: list[str], values: list[int | None], previous: list[int | None] | None = None
) -> Markup:
    """A horizontal bar chart; hidden (suppressed) values draw no bar and are named as hidden in the description."""
    spoken = "; ".join(
        f"{label}: {'hidden' if value is None else value}" for label, value in zip(labels, values, strict=True)
    )
    description = f"Bar chart. This period — {spoken}." + (
        " Previous period shown beside each bar." if previous else ""
    )
    key = "insights-chart:" + hashlib.sha256(repr((title, labels, values, previous)).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        drawn = _render(
            title,
            tuple(labels),
            tuple(float(v or 0) for v in values),
            tuple(float(v or 0) for v in previous) if previous is not None else None,
        )
        svg = _clean(drawn, title=str(escape(title)), description=description, ident=f"chart-{key[-10:]}")
        cache.set(key, svg, CACHE_SECONDS)
    return Markup(svg)  # noqa: S704 — matplotlib's SVG around our own escaped title and description
