"""report.html: one self-contained page rendered from scan.json by a jinja2 template (autoescaped)."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from reports.expected import fill_expectations
from reports.figures import figures
from reports.fixscript import fix_script
from reports.labels import (CHAPTERS, CHECK_LABELS, FIX_LABELS, IMPORTANCE_LABELS, KIND_LABELS, LABELS,
                            MANAGER_LABELS, RESULT_LABELS, RISK_LABELS)
from reports.manager import manager_page
from reports.problems import major_risk_rows, problem_list
from reports.safe import html_value
from reports.views import (CHART_COLORS, CHART_RESULTS, chart_data, chart_label, devices_to_add, shown_evidence,
                           trend_chart, upgrade_plan)
from scanner.catalog import load_catalog
from scanner.model import AssetStatus, CheckStatus, ItemResult, ScanResult
from scanner.safeio import write_private

TEMPLATES = Path(__file__).resolve().parent / "templates"
COMPACT_ABOVE = 50        # assets: above this, rows that need no action are brief (keeps 1 000 assets ~10 MB)
PAGED_ABOVE = 50          # assets: above this, the long tables are JSON shown a page at a time (report.js)
HELD_IN_PDF = 200         # high-risk candidates listed in the PDF (the HTML pages through all of them)

def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True, finalize=html_value)
    env.filters["rowtext"] = _row_text
    return env


ROW_MARK = "\u2063"          # INVISIBLE SEPARATOR: ends each row of a paged table; never raw inside a row
_SCRIPT_END = re.compile(r"<(/?script|!--)", re.I)


def _row_text(key: int, html: str) -> Markup:
    """One row of a paged table inside <script type="text/x-mlps-rows">: its asset index, its HTML as is (no JSON
    escaping, which made a 1 000-asset page a third larger), and the row mark. Device text in the row is already
    autoescaped, so nothing in it can end the script; "</script" or "<!--" from anywhere else is shown as text."""
    row = _SCRIPT_END.sub(r"&lt;\1", _squeeze(str(html))).replace(ROW_MARK, "&#x2063;")
    return Markup(f"{key}{row}{ROW_MARK}")


def render_html(result: ScanResult, lang: str = "zh", pdf: bool = False) -> str:
    return render_part(report_context(result, lang, pdf), "all")


def report_context(result: ScanResult, lang: str = "zh", pdf: bool = False) -> dict:
    """What the template needs, computed once (the PDF renders the template in several parts)."""
    cat = load_catalog()
    fill_expectations(result)
    fig = figures(result, cat)
    problems = problem_list(result)
    layer_names = {layer.id: (layer.zh if lang == "zh" else layer.en) for layer in cat.layers}
    aidx = {a.name: i for i, a in enumerate(result.assets)}
    plan = upgrade_plan(result)
    mgr = manager_page(result)
    held = [(aidx[a.name], (a, h)) for a in result.assets if a.status == AssetStatus.ASSESSED
            for h in a.high_risk_candidates]
    return {
        "r": result, "L": LABELS[lang], "RL": RESULT_LABELS[lang], "CL": CHECK_LABELS[lang], "FL": FIX_LABELS[lang],
        "RiskL": RISK_LABELS[lang], "IL": IMPORTANCE_LABELS[lang], "KL": KIND_LABELS[lang],
        "lang": lang, "cat": cat, "items": {i.id: i for i in cat.items}, "chapters": CHAPTERS, "fig": fig,
        "tally": LABELS[lang]["tally"].format(total=fig.total, scored=fig.scored, scored_manual=fig.scored_manual,
                                              automated=fig.automated, unautomated=fig.unautomated,
                                              manual_unautomated=fig.manual_unautomated, **fig.by_result),
        "problems": problems, "problem_ids": {p.check: p.id for p in problems}, "major_rows": major_risk_rows(problems),
        "assessed": [a for a in result.assets if a.status == AssetStatus.ASSESSED],
        "plan": plan, "to_add": devices_to_add(result, lang),
        "aidx": aidx, "paged": not pdf and len(result.assets) > PAGED_ABOVE,
        "filter_index": None if pdf else filter_index(result, problems, aidx, mgr),
        "mgr": mgr, "ML": MANAGER_LABELS[lang],
        "object_rows": list(enumerate(result.assets)), "record_rows": list(enumerate(result.assets)),
        "plan_rows": [(aidx[p.asset], p) for p in plan], "held_rows": held[:HELD_IN_PDF] if pdf else held,
        "charts": chart_data(result, layer_names), "trend": trend_chart(result), "chart_results": CHART_RESULTS, "chart_colors": CHART_COLORS,
        "chart_label": chart_label,
        "compact": pdf or len(result.assets) > COMPACT_ABOVE,
        "fix_script": lambda a: fix_script(a, result, lang),
        "ItemResult": ItemResult, "CheckStatus": CheckStatus, "pdf": pdf, "shown_evidence": shown_evidence,
    }


def filter_index(result: ScanResult, problems: list, aidx: dict[str, int], mgr=None) -> dict:
    """What the page's filters need: each asset's name and item results, and the assets of each row that is about
    several (a problem, a high-risk case, a 2025 trigger, a fleet check), by index into `assets`."""
    assets = [[a.name.lower(), sorted({c.result.value for c in a.controls})
               or ([ItemResult.ERROR.value] if a.status != AssetStatus.ASSESSED else [])] for a in result.assets]
    groups: dict[str, list[int]] = {p.id: [aidx[n] for n in p.assets if n in aidx] for p in problems}
    for a in result.assets:
        for h in a.high_risks:
            groups.setdefault(f"hr-{h.id}", []).append(aidx[a.name])
    for t, _, _, names in major_risk_rows(problems):
        groups[f"mr-{t}"] = [aidx[n] for n in names if n in aidx]
    for f in result.fleet:
        groups[f"fl-{f.check}"] = [aidx[n] for n in f.assets if n in aidx] or list(range(len(result.assets)))
    for n, g in enumerate(mgr.groups if mgr else []):
        groups[f"mg-{n}"] = [aidx[name] for name in g.assets if name in aidx]
    return {"assets": assets, "groups": {k: sorted(set(v)) for k, v in groups.items()}}


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
