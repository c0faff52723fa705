"""report.pdf: the HTML report's template rendered by WeasyPrint with print CSS and a CJK font.

Needs Debian's libharfbuzz-subset0 (without it CJK subsetting falls back to fontTools, 15-20x slower) and a CJK
font (fonts-wqy-microhei or fonts-noto-cjk); `make` installs both.
"""
from __future__ import annotations

import logging
from pathlib import Path

from reports.html import TEMPLATES, render_html
from scanner.model import ScanResult
from scanner.safeio import open_private


def write_pdf(result: ScanResult, path: Path, lang: str = "zh") -> Path:
    from weasyprint import HTML
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with open_private(path) as f:
        HTML(string=render_html(result, lang, pdf=True), base_url=str(TEMPLATES)).write_pdf(f)
    return path
