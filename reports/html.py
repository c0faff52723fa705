"""report.html: one self-contained page rendered from scan.json by a jinja2 template (autoescaped)."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from reports.figures import figures
from reports.fixscript import fix_script
from reports.labels import (CHAPTERS, CHECK_LABELS, FIX_LABELS, IMPORTANCE_LABELS, KIND_LABELS, LABELS, RESULT_LABELS,
                            RISK_LABELS)
from reports.problems import major_risk_rows, problem_list
from reports.safe import html_value
from reports.views import (CHART_COLORS, CHART_RESULTS, chart_data, devices_to_add, shown_evidence, trend_chart,
                           upgrade_plan)
from scanner.catalog import load_catalog
from scanner.model import AssetStatus, CheckStatus, ItemResult, ScanResult
from scanner.safeio import write_private

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPACT_ABOVE = 50        # assets: above this, rows that need no action are brief (keeps 1 000 assets ~10 MB)

def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True, finalize=html_value)


def render_html(result: ScanResult, lang: str = "zh", pdf: bool = False) -> str:
    return render_part(report_context(result, lang, pdf), "all")


def report_context(result: ScanResult, lang: str = "zh", pdf: bool = False) -> dict:
    """What the template needs, computed once (the PDF renders the template in several parts)."""
    cat = load_catalog()
    fig = figures(result, cat)
    problems = problem_list(result)
    layer_names = {layer.id: (layer.zh if lang == "zh" else layer.en) for layer in cat.layers}
    return {
        "r": result, "L": LABELS[lang], "RL": RESULT_LABELS[lang], "CL": CHECK_LABELS[lang], "FL": FIX_LABELS[lang],
        "RiskL": RISK_LABELS[lang], "IL": IMPORTANCE_LABELS[lang], "KL": KIND_LABELS[lang],
        "lang": lang, "cat": cat, "items": {i.id: i for i in cat.items}, "chapters": CHAPTERS, "fig": fig,
        "tally": LABELS[lang]["tally"].format(total=fig.total, scored=fig.scored, scored_manual=fig.scored_manual,
                                              automated=fig.automated, unautomated=fig.unautomated,
                                              manual_unautomated=fig.manual_unautomated, **fig.by_result),
        "problems": problems, "problem_ids": {p.check: p.id for p in problems}, "major_rows": major_risk_rows(problems),
        "assessed": [a for a in result.assets if a.status == AssetStatus.ASSESSED],
        "plan": upgrade_plan(result), "to_add": devices_to_add(result),
        "charts": chart_data(result, layer_names), "trend": trend_chart(result), "chart_results": CHART_RESULTS, "chart_colors": CHART_COLORS,
        "compact": pdf or len(result.assets) > COMPACT_ABOVE,
        "fix_script": lambda a: fix_script(a, result),
        "ItemResult": ItemResult, "CheckStatus": CheckStatus, "pdf": pdf, "shown_evidence": shown_evidence,
    }


def render_part(ctx: dict, part: str, section_assets: list | None = None, toc_pages: dict | None = None) -> str:
    """The whole page (`all`) or one part of it for the PDF: `toc` (title and contents, with `toc_pages`: anchor ->
    page number), `summary`, `assets` (the sections of `section_assets`) or `tail` (remediation and all items)."""
    return _squeeze(_env().get_template("report.html.j2").render(
        **ctx, part=part, section_assets=ctx["r"].assets if part == "all" else section_assets or [],
        toc_pages=toc_pages or {}))


def render_page_marks(lang: str, pages: int) -> str:
    """`pages` blank pages with only the PDF's running header and "page N of M" footer (drawn over the report)."""
    return _env().get_template("pages.html.j2").render(L=LABELS[lang], lang=lang, pages=pages)


_PRE = re.compile(r"(<pre>.*?</pre>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")


def _squeeze(html: str) -> str:
    """Drop the template's indentation (~14% of a 1 000-asset report) outside <pre>, where it means nothing."""
    parts = _PRE.split(html)
    return "".join(p if i % 2 else _INDENT.sub("\n", p) for i, p in enumerate(parts))


def write_html(result: ScanResult, path: Path, lang: str = "zh") -> Path:
    write_private(path, render_html(result, lang))
    return path
