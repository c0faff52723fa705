"""Views derived from the one result model, shared by the renderers."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from scanner.model import AssetStatus, CheckStatus, Evidence, Finding, FixKind, ScanResult, Severity

SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
IMPORTANCE_RANK = {"high": 0, "medium": 1, "low": 2, None: 1}
EXPOSURE_RANK = {"internet": 0, "untrusted": 1, "management": 2, "internal": 3, None: 4}
EXPOSED = ("internet", "untrusted")


@dataclass(slots=True)
class DevicePlan:
    asset: str
    importance: str | None
    model: str | None
    release: str | None
    config: list[str] = field(default_factory=list)       # titles of failed checks fixed by configuration
    firmware: list[str] = field(default_factory=list)     # reasons needing a software upgrade
    hardware: list[str] = field(default_factory=list)     # reasons needing replacement or new equipment
    en: dict[str, list[str]] = field(default_factory=dict)    # the same three lists in English, by action
    worst: Severity = Severity.LOW
    exposure: str | None = None
    kev: bool = False                                     # a known exploited vulnerability (equipment data)
    high_risks: int = 0                                   # unresolved high-risk cases

    @property
    def action(self) -> str:
        return "hardware" if self.hardware else "firmware" if self.firmware else "config" if self.config else "none"


def advisory_ids(f: Finding) -> list[str]:
    """The advisories a failed vulnerability check names (each evidence note of source `advisory` starts with one)."""
    return [e.text.split()[0] for e in f.evidence if e.source == "advisory" and e.text.strip()]


def _kev(platform: str, f: Finding) -> bool:
    from scanner.equipment import vulnerability
    return any((vulnerability(platform, i) or {}).get("kev") for i in advisory_ids(f))


def upgrade_plan(result: ScanResult) -> list[DevicePlan]:
    """Per device: what configuration fixes, firmware upgrades and replacements it needs, sorted by risk: exposure
    (internet first), a known exploited vulnerability, unresolved high-risk cases, importance; the action (replace,
    upgrade, reconfigure) and the worst severity only break ties."""
    plans = []
    for a in result.assets:
        if a.status != AssetStatus.ASSESSED:
            continue
        p = DevicePlan(a.name, a.importance, a.model, a.software_version, exposure=a.exposure,
                       high_risks=len({h.id for h in a.high_risks if not h.compensated}))
        for f in a.findings:
            if f.status != CheckStatus.FAIL:
                continue
            bucket = {FixKind.CONFIG: p.config, FixKind.FIRMWARE: p.firmware, FixKind.HARDWARE: p.hardware}.get(f.fix_kind)
            if bucket is None:
                continue
            bucket.append(f.reason_zh if f.fix_kind != FixKind.CONFIG else f.title_zh)
            p.en.setdefault(f.fix_kind.value, []).append(
                (f.reason_en or f.reason_zh) if f.fix_kind != FixKind.CONFIG else f.title_en)
            p.kev = p.kev or _kev(a.platform, f)
            if SEVERITY_RANK[f.severity] < SEVERITY_RANK[p.worst]:
                p.worst = f.severity
        if p.config or p.firmware or p.hardware:
            plans.append(p)
    order = {"hardware": 0, "firmware": 1, "config": 2}
    plans.sort(key=lambda p: (EXPOSURE_RANK.get(p.exposure, 4), not p.kev, -p.high_risks,
                              IMPORTANCE_RANK.get(p.importance, 1), order[p.action], SEVERITY_RANK[p.worst], p.asset))
    return plans


def devices_to_add(result: ScanResult, lang: str = "zh") -> list[str]:
    return [(f.recommendation_en or f.recommendation) if lang == "en" else f.recommendation for f in result.fleet if f.status == CheckStatus.FAIL and f.recommendation
            and f.fix_kind == FixKind.HARDWARE]


CHART_RESULTS = ("compliant", "partial", "noncompliant", "manual", "error")
CHART_COLORS = {"compliant": "#3f9c5a", "partial": "#e0a030", "noncompliant": "#d64545", "manual": "#c9c27a",
                "error": "#8e6cc9"}


def chart_data(result: ScanResult, layer_names: dict[str, str]) -> dict[str, list[tuple[str, dict[str, int]]]]:
    """Item results counted per layer, per zone and per platform (不适用 left out), for the inline SVG charts."""
    from collections import Counter, defaultdict
    groups: dict[str, dict[str, Counter]] = {"layer": defaultdict(Counter), "zone": defaultdict(Counter),
                                              "platform": defaultdict(Counter)}
    for a in result.assets:
        for c in a.controls:
            r = c.result.value
            if r not in CHART_RESULTS:
                continue
            layer = ".".join(c.id.split(".")[:3])
            groups["layer"][layer_names.get(layer, layer)][r] += 1
            groups["zone"][a.zone or "—"][r] += 1
            groups["platform"][a.platform][r] += 1
    return {k: sorted(((label, dict(cnt)) for label, cnt in v.items()), key=lambda x: x[0]) for k, v in groups.items()}


def chart_label(text: str, width: int = 27) -> str:
    """A chart row's label cut to the chart's label column (`width` Latin characters; a CJK one counts two), with
    '…' where it is cut, never mid-character."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return text[:max(i - 1, 1)] + "…"
    return text


_SEPARATOR = re.compile(r"^\s*[#!]?\s*$")       # VRP/Comware '#' and IOS '!' section separators, blank lines


def shown_evidence(f: Finding, limit: int, lang: str = "zh") -> tuple[list[Evidence], str | None]:
    """The evidence lines a report shows for a check, and, for a failure with no line to show (the required line
    is missing), what was looked for: the first commands of the fix. Configuration separators ('#', '!') are
    never shown as evidence: they prove nothing."""
    ev = [e for e in f.evidence if not (e.source == "config" and _SEPARATOR.match(e.text))]
    if ev or f.status != CheckStatus.FAIL:
        return ev[:limit], None
    from reports.fixscript import fill_values
    # the values the check found (idle ports...) filled in: the line looked for is the device's own
    lines = [ln.strip() for ln in fill_values(f.remediation or "", f.fix_values).splitlines()]
    commands = [ln for ln in lines if ln and not ln.startswith(("#", "!"))]
    # a view ("aaa", "user-interface vty 0 4") means nothing alone: show the lines under it too
    reason = f.reason_en if lang == "en" and f.reason_en else f.reason_zh
    return [], " / ".join(commands[:3]) or reason or None


def trend_chart(result: ScanResult, width: int = 420, height: int = 190) -> dict | None:
    """The score over the scans in `result.history` (oldest first) as SVG coordinates: None for fewer than two."""
    points = result.history
    if len(points) < 2:
        return None
    left, top, plot_w, plot_h = 34, 18, width - 60, height - 48
    step = plot_w / (len(points) - 1)
    marks = []
    for i, p in enumerate(points):
        x = left + i * step
        y = top + plot_h * (1 - p.score / 100) if p.score is not None else None
        marks.append({"x": round(x, 1), "y": round(y, 1) if y is not None else None, "score": p.score,
                      "conclusion": p.conclusion, "high_risks": p.high_risks,
                      "date": p.started_at.strftime("%Y-%m-%d"), "label": i == 0 or i == len(points) - 1})
    line = " ".join(f"{m['x']},{m['y']}" for m in marks if m["y"] is not None)
    grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "v": v} for v in (0, 70, 80, 90, 100)]
    return {"width": width, "height": height, "marks": marks, "line": line, "grid": grid, "left": left,
            "right": left + plot_w, "bottom": top + plot_h}
