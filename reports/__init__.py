"""Renderers: every one reads the same ScanResult (scan.json)."""
from __future__ import annotations

from pathlib import Path

from scanner.model import ScanResult

FORMATS = {"json": "scan.json", "html": "report.html", "pdf": "report.pdf", "xlsx": "report.xlsx",
           "junit": "junit.xml", "sarif": "results.sarif"}


def render(result: ScanResult, formats: list[str], out_dir: Path, lang: str = "zh") -> list[Path]:
    from reports.ci import write_junit, write_sarif
    from reports.html import write_html
    from reports.json_report import write_json
    writers = {"json": lambda p: write_json(result, p), "html": lambda p: write_html(result, p, lang=lang),
               "junit": lambda p: write_junit(result, p), "sarif": lambda p: write_sarif(result, p),
               "xlsx": lambda p: _xlsx(result, p), "pdf": lambda p: _pdf(result, p, lang)}
    return [writers[f](out_dir / FORMATS[f]) for f in formats]


def parse_formats(text: str) -> list[str]:
    """'html,sarif' -> ['html', 'sarif']; raises ValueError naming an unknown format."""
    fs = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise ValueError(f"unknown format '{bad[0] if bad else text}' (one of: {', '.join(FORMATS)})")
    return list(dict.fromkeys(fs))


def _xlsx(result: ScanResult, path: Path) -> Path:
    from reports.xlsx import write_xlsx
    return write_xlsx(result, path)


def _pdf(result: ScanResult, path: Path, lang: str) -> Path:
    from reports.pdf import write_pdf
    return write_pdf(result, path, lang)
