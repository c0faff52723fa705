"""Renderers: every one reads the same ScanResult (scan.json)."""
from __future__ import annotations

from pathlib import Path

from scanner.model import ScanResult

FORMATS = {"json": "scan.json", "html": "report.html", "pdf": "report.pdf", "xlsx": "report.xlsx",
           "junit": "junit.xml", "sarif": "results.sarif", "codequality": "gl-code-quality-report.json",
           "fix": "fix"}


class RenderError(Exception):
    """Some formats could not be written; every other one was. `failed`: format -> reason."""

    def __init__(self, written: list[Path], failed: dict[str, str]):
        super().__init__("; ".join(f"{f}: {why}" for f, why in failed.items()))
        self.written = written
        self.failed = failed


def render(result: ScanResult, formats: list[str], out_dir: Path, lang: str = "zh") -> list[Path]:
    """Write each format on its own: one that fails (a full disk, a missing native library, a renderer bug) costs
    only itself. Raises RenderError, after writing all the others, when any failed."""
    from reports.expected import fill_expectations
    fill_expectations(result)           # expected beside actual for every failed check, in every format
    from reports.ci import write_junit
    from reports.codequality import write_codequality
    from reports.fixscript import write_fix_scripts
    from reports.sarif import write_sarif
    from reports.html import write_html
    from reports.json_report import write_json
    writers = {"json": lambda p: write_json(result, p), "html": lambda p: write_html(result, p, lang=lang),
               "junit": lambda p: write_junit(result, p), "sarif": lambda p: write_sarif(result, p),
               "codequality": lambda p: write_codequality(result, p),
               "fix": lambda p: write_fix_scripts(result, p, lang),
               "xlsx": lambda p: _xlsx(result, p, lang), "pdf": lambda p: _pdf(result, p, lang)}
    written, failed = [], {}
    for f in formats:
        path = out_dir / FORMATS[f]
        try:
            written.append(writers[f](path))
        except Exception as e:  # noqa: BLE001 - any failure of one format must not cost the others
            failed[f] = f"{type(e).__name__}: {e}"
            if path.is_file() and not path.is_symlink():    # (fix/ is a folder: what it holds is per device)
                path.unlink()       # no half-written file, nor last run's report passing for this one
    if failed:
        raise RenderError(written, failed)
    return written


def parse_formats(text: str) -> list[str]:
    """'html,sarif' -> ['html', 'sarif']; raises ValueError naming an unknown format."""
    fs = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in fs if f not in FORMATS]
    if bad or not fs:
        raise ValueError(f"unknown format '{bad[0] if bad else text}' (one of: {', '.join(FORMATS)})")
    return list(dict.fromkeys(fs))


def _xlsx(result: ScanResult, path: Path, lang: str) -> Path:
    from reports.xlsx import write_xlsx
    return write_xlsx(result, path, lang)


def _pdf(result: ScanResult, path: Path, lang: str) -> Path:
    from reports.pdf import write_pdf
    return write_pdf(result, path, lang)
