"""`mlps diff old.json new.json`: what improved, regressed, appeared and disappeared between two scans."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from reports.html import RESULT_LABELS, TEMPLATES
from reports.safe import html_value
from scanner.model import ItemResult, ScanResult
from scanner.safeio import write_private

RANK = {ItemResult.NONCOMPLIANT: 0, ItemResult.PARTIAL: 1, ItemResult.COMPLIANT: 2}


@dataclass(slots=True)
class Change:
    asset: str
    item: str
    old: ItemResult | None
    new: ItemResult | None


@dataclass(slots=True)
class ScanDiff:
    improved: list[Change] = field(default_factory=list)
    regressed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)       # to/from manual, n/a or error
    assets_added: list[str] = field(default_factory=list)
    assets_removed: list[str] = field(default_factory=list)
    high_risks_added: list[tuple[str, str]] = field(default_factory=list)
    high_risks_removed: list[tuple[str, str]] = field(default_factory=list)
    score_old: float | None = None
    score_new: float | None = None

    @property
    def empty(self) -> bool:
        return not (self.improved or self.regressed or self.changed or self.assets_added or self.assets_removed
                    or self.high_risks_added or self.high_risks_removed)


def diff(old: ScanResult, new: ScanResult) -> ScanDiff:
    d = ScanDiff(score_old=old.score.overall if old.score else None, score_new=new.score.overall if new.score else None)
    o = {a.name: a for a in old.assets}
    n = {a.name: a for a in new.assets}
    d.assets_added = sorted(set(n) - set(o))
    d.assets_removed = sorted(set(o) - set(n))
    for name in sorted(set(o) & set(n)):
        oc = {c.id: c.result for c in o[name].controls}
        nc = {c.id: c.result for c in n[name].controls}
        for item in sorted(set(oc) | set(nc)):
            a, b = oc.get(item), nc.get(item)
            if a == b:
                continue
            ch = Change(name, item, a, b)
            if a in RANK and b in RANK:
                (d.improved if RANK[b] > RANK[a] else d.regressed).append(ch)
            else:
                d.changed.append(ch)
    oh = {(a.name, h.id) for a in old.assets for h in a.high_risks if not h.compensated}
    nh = {(a.name, h.id) for a in new.assets for h in a.high_risks if not h.compensated}
    d.high_risks_added, d.high_risks_removed = sorted(nh - oh), sorted(oh - nh)
    return d


def write_diff_html(d: ScanDiff, path: Path, lang: str = "zh") -> Path:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      finalize=html_value)
    write_private(path, env.get_template("diff.html.j2").render(d=d, RL=RESULT_LABELS[lang], lang=lang))
    return path
