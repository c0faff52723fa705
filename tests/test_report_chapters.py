"""Issue 12, must-have 1, chapter by chapter: what the 测评报告 template puts in chapters 1, 2, 4 and 5 is in the
HTML, the PDF and the XLSX (test_report_structure checks their order, the cover and the problem list; test_report_numbers
chapters 3 and 6). Three devices with zones, roles and importance from an inventory, one compensation that
downgrades a high-risk case and one expired waiver, rendered once in every filed format."""
from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from reports import render
from reports.labels import IMPORTANCE_LABELS, KIND_LABELS, LABELS, RISK_LABELS
from reports.problems import major_risk_rows, problem_list
from scanner.engine import ScanContext, build_result, scan_configs
from scanner.waivers import load_waivers

from conftest import CONFIGS

L = LABELS["zh"]
DEVICES = {   # config -> what the inventory says of it (a configuration alone does not name the model)
    CONFIGS / "huawei_vrp" / "weak_s5700_v200r005.cfg": {"zone": "办公区", "role": "access", "importance": "medium",
                                                        "model": "S5700-28C-SI"},
    CONFIGS / "cisco_ios" / "weak_isr4331_16.9.cfg": {"zone": "互联网边界", "role": "router", "importance": "high",
                                                      "exposure": "internet", "model": "ISR4331/K9"},
    CONFIGS / "hp_comware" / "hardened_s5130_v7.cfg": {"zone": "核心区", "role": "core", "importance": "high",
                                                       "model": "S5130-54C-EI"},
}
WAIVERS = f"""waivers:
  - scope: {{asset: weak_s5700_v200r005}}
    high_risk: "6.4.1.3"
    reason: 仅经堡垒机（双因素）带外管理
    approver: 张三
    expires: {(date.today() + timedelta(days=90)).isoformat()}
  - scope: {{check: remote_mgmt_telnet_disabled}}
    reason: 旧的补偿措施
    approver: 李四
    expires: {(date.today() - timedelta(days=1)).isoformat()}
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    d = tmp_path_factory.mktemp("chapters")
    (d / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    ctx = ScanContext.default()
    ctx.waivers = load_waivers(d / "waivers.yaml")
    scanned = scan_configs(list(DEVICES), ctx).assets
    meta = {p.stem: v for p, v in DEVICES.items()}
    assets = [a.model_copy(update=meta[a.name]) for a in scanned]
    result = build_result(assets, ctx, datetime.now(timezone.utc))
    render(result, ["html", "pdf", "xlsx"], d)
    pdf = subprocess.run(["pdftotext", str(d / "report.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    return result, (d / "report.html").read_text(encoding="utf-8"), " ".join(pdf.split()), d / "report.xlsx"


def _sheet(path, name) -> list[tuple]:
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    rows = [tuple(v for v in r) for r in wb[name].iter_rows(values_only=True)]
    wb.close()
    return rows


class _Section(HTMLParser):
    """The text of one <section id=...> of the page, cell by cell."""

    def __init__(self, anchor: str):
        super().__init__()
        self.anchor, self.depth, self.parts = anchor, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "section" and (self.depth or dict(attrs).get("id") == self.anchor):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "section" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data.strip())


def _section(page: str, anchor: str) -> str:
    p = _Section(anchor)
    p.feed(page)
    assert p.parts, anchor
    return "\n".join(x for x in p.parts if x)


def test_overview_states_purpose_basis_scope_and_method(written):
    result, page, pdf, xlsx = written
    text = _section(page, "overview")
    scope = L["scope_text"].format(assets=3, assessed=3, failed=0)
    for key, said in (("purpose", L["purpose_text"]), ("basis", L["basis_text"]), ("scope", scope),
                      ("method", L["method_text"])):
        assert L[key] in text and said in text, key
        assert "".join(said.split())[:40] in "".join(pdf.split()), key
    rows = {r[0]: r[1] for r in _sheet(xlsx, "1 测评项目概述") if r and r[0]}
    assert rows[L["scope"]] == scope and rows[L["method"]] == L["method_text"]
    assert "GB/T 22239-2019" in rows[L["basis"]] and "GB/T 28448-2019" in rows[L["basis"]]


def test_objects_list_kind_model_release_zone_importance_role(written):
    result, page, pdf, xlsx = written
    text = _section(page, "objects")
    sheet = {r[0]: r for r in _sheet(xlsx, "2 被测对象")[1:]}
    assert len(result.assets) == 3 and set(sheet) == {a.name for a in result.assets}
    for a in result.assets:
        want = [KIND_LABELS["zh"][a.kind], a.model, a.software_version, a.zone, IMPORTANCE_LABELS["zh"][a.importance],
                a.role]
        assert all(w and w in text for w in want), (a.name, want)
        assert all(w in pdf for w in want[1:4]), (a.name, want)
        row = sheet[a.name]
        assert [row[1], row[3], row[4], row[5], row[6], row[7]] == want


def test_overall_assessment_shows_compensations_waivers_and_corrected_results(written):
    result, page, pdf, xlsx = written
    active, expired = result.waivers
    assert active.status == "active" and active.matched >= 1 and expired.status == "expired"
    text = _section(page, "overall")
    for w, corrected in ((active, f"{L['compensated']} ×{active.matched}"), (expired, L["expired_waiver"])):
        assert w.reason in text and w.approver in text and corrected in text, w.index
        assert w.reason in pdf and corrected in pdf, w.index
    rows = _sheet(xlsx, "4 整体测评")
    at = next(i for i, r in enumerate(rows) if r and r[0] == L["waivers"])
    table = {r[1]: r for r in rows[at + 1:] if len(r) > 1 and r[1] is not None}
    assert table[active.index][2] == "6.4.1.3" and table[active.index][5] == f"{L['compensated']} ×{active.matched}"
    assert table[expired.index][4] == "expired" and table[expired.index][5] == L["expired_waiver"]
    # the corrected result reaches the risk analysis: the compensated case is marked, the expired one counts again
    risks = _section(page, "risks")
    assert f"({L['compensated']})" in risks and f"({L['expired_waiver']})" in risks


def test_risk_analysis_counts_problems_by_risk_and_lists_the_2025_triggers_apart(written):
    result, page, pdf, xlsx = written
    problems = problem_list(result)
    counts = {risk: sum(p.risk == risk for p in problems) for risk in ("high", "medium", "low")}
    assert counts["high"] and counts["medium"]
    for risk, n in counts.items():
        assert f'data-fig="problems_{risk}">{n}<' in page, risk
    text = "".join(_section(page, "risks").split())
    counted = L["sep"].join(f"{RISK_LABELS['zh'][r]}{n}" for r, n in counts.items())
    assert f"{L['risk_counts']}:{counted}" in text and counted in "".join(pdf.split())
    rows = major_risk_rows(problems)
    assert rows, "the weak devices meet some 2025 trigger"
    assert re.findall(r'<tr data-trigger="([^"]+)"', page) == [t for t, *_ in rows]
    for t, d, ps, _ in rows:
        assert d["zh"] in text and t in pdf
    sheet = _sheet(xlsx, "5 安全问题风险分析")
    at = next(i for i, r in enumerate(sheet) if r and r[0] == L["trigger"])
    assert [r[0] for r in sheet[at + 1:at + 1 + len(rows)]] == [t for t, *_ in rows]
    assert [r[3] for r in sheet[at + 1:at + 1 + len(rows)]] == [" ".join(p.id for p in ps) for _, _, ps, _ in rows]
