"""report.pdf: the HTML report's template rendered by WeasyPrint with print CSS and a CJK font.

WeasyPrint keeps a document's whole layout in memory (2.2 GB for 300 assets), so the report is laid out in parts
of at most CHUNK_ASSETS assets, each written to PDF and dropped before the next, and the parts are joined with pypdf.
Numbers that span parts are filled in afterwards: the contents list gets the page of each anchor once the parts
after it are laid out, the running header and "page N of M" footer are drawn over the joined pages, and links
to another part become link annotations.

Needs Debian's libharfbuzz-subset0 (without it CJK subsetting falls back to fontTools, 15-20x slower) and a CJK
font (fonts-wqy-microhei or fonts-noto-cjk); `make` installs both.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from reports.html import TEMPLATES, render_page_marks, render_part, report_context
from scanner.model import ScanResult
from scanner.safeio import open_private

CHUNK_ASSETS = 40           # ~6.5 MB of layout per asset: a part stays near 260 MB
PX_TO_PT = 0.75             # WeasyPrint positions are CSS pixels (1/96 in); PDF points are 1/72 in


@dataclass(slots=True)
class Part:
    """One laid-out piece of the report: its PDF, its page count, where its anchors are and which links leave it."""
    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float]] = field(default_factory=dict)     # name -> (page in part, y in px)
    links: list[tuple[int, str, tuple[float, float, float, float]]] = field(default_factory=list)   # x1 y1 x2 y2


def write_pdf(result: ScanResult, path: Path, lang: str = "zh", chunk_assets: int = CHUNK_ASSETS) -> Path:
    from weasyprint.text.fonts import FontConfiguration
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addFilter(_anchor_in_another_part)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()
    ctx = report_context(result, lang, pdf=True)
    assets = result.assets
    body = [_lay_out(render_part(ctx, "summary"), fonts)]
    for i in range(0, len(assets), chunk_assets):
        body.append(_lay_out(render_part(ctx, "assets", section_assets=assets[i:i + chunk_assets]), fonts))
    body.append(_lay_out(render_part(ctx, "tail"), fonts))
    toc = _contents(ctx, body, fonts)
    parts = [toc, *body]
    total = sum(p.pages for p in parts)
    marks = _lay_out(render_page_marks(lang, total), fonts)
    _join(parts, marks, path)
    return path


def _anchor_in_another_part(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("No anchor #")       # linked by _join


def _lay_out(html: str, fonts) -> Part:
    from weasyprint import HTML
    doc = HTML(string=html, base_url=str(TEMPLATES)).render(font_config=fonts)
    part = Part(doc.write_pdf(), len(doc.pages))
    for n, page in enumerate(doc.pages):
        for name, (_, y, _, _) in page.anchors.items():
            part.anchors.setdefault(name, (n, y))
        for kind, target, rect, _ in page.links:
            if kind == "internal":
                _add_link(part.links, n, target, rect)
    return part


def _add_link(links: list, n: int, target: str, rect: tuple[float, float, float, float]) -> None:
    """One link per line of text, not one per nested box of that line (the line's boxes overlap vertically)."""
    x1, y1, x2, y2 = rect
    for i, (m, other, (a1, b1, a2, b2)) in enumerate(links):
        if m == n and other == target and y1 < b2 and b1 < y2:
            links[i] = (n, target, (min(x1, a1), min(y1, b1), max(x2, a2), max(y2, b2)))
            return
    links.append((n, target, rect))


def _contents(ctx: dict, body: list[Part], fonts) -> Part:
    """The title and contents part: laid out until its own length, which shifts every page number, is stable."""
    toc = _lay_out(render_part(ctx, "toc"), fonts)
    for _ in range(3):
        pages = _anchor_pages(body, first_page=toc.pages + 1)
        again = _lay_out(render_part(ctx, "toc", toc_pages={k: n for k, (n, _) in pages.items()}), fonts)
        if again.pages == toc.pages:
            return again
        toc = again
    raise RuntimeError("the contents list does not settle on a page count")


def _anchor_pages(parts: list[Part], first_page: int = 1) -> dict[str, tuple[int, float]]:
    """anchor -> (page number counted from `first_page`, y in px), the first occurrence winning."""
    found: dict[str, tuple[int, float]] = {}
    start = first_page
    for p in parts:
        for name, (n, y) in p.anchors.items():
            found.setdefault(name, (start + n, y))
        start += p.pages
    return found


def _join(parts: list[Part], marks: Part, path: Path) -> None:
    """Concatenate the parts, draw the header and footer over every page, and link across parts."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit
    writer = PdfWriter()
    for p in parts:
        writer.append(PdfReader(io.BytesIO(p.pdf)))
    for page, overlay in zip(writer.pages, PdfReader(io.BytesIO(marks.pdf)).pages):
        page.merge_page(overlay)
        page.compress_content_streams()      # merging leaves the page's content uncompressed (4-8x the size)
    anchors = _anchor_pages(parts, first_page=0)
    start = 0
    for p in parts:
        for n, target, (x1, y1, x2, y2) in p.links:
            if target in p.anchors or target not in anchors:
                continue                      # inside the part WeasyPrint linked it already
            page = writer.pages[start + n]
            top = float(page.mediabox.height)
            to_page, to_y = anchors[target]
            writer.add_annotation(start + n, Link(
                rect=(x1 * PX_TO_PT, top - y2 * PX_TO_PT, x2 * PX_TO_PT, top - y1 * PX_TO_PT),
                target_page_index=to_page, fit=Fit.xyz(0, top - to_y * PX_TO_PT)))
        start += p.pages
    with open_private(path) as f:
        writer.write(f)
