"""Issue 12, must-have 5: the manager's page. Equipment totals, security devices to add and where, one row per
model and release sorted by risk (not by action type), an effort column, the source and confidence of every
end-of-support or vulnerability claim, and only releases the equipment data lists for the model."""
from __future__ import annotations

import fnmatch
import re
import subprocess
from datetime import datetime, timezone

import pytest
import yaml

from reports import render
from reports.manager import manager_page
from reports.views import upgrade_plan
from scanner import equipment
from scanner.engine import build_result

from conftest import ROOT

LAB = ROOT / "scanner" / "lab" / "data"


@pytest.fixture(scope="module")
def result(ctx):
    """The demo lab's saved outputs with its inventory's zones, exposure, roles and importance."""
    from scanner.live import scan_raw
    base = scan_raw(LAB / "raw", ctx)
    inv = yaml.safe_load((LAB / "inventory.yaml").read_text(encoding="utf-8"))
    exposure = {z: v.get("exposure") for z, v in inv["zones"].items()}
    meta = {a["name"]: a for a in inv["assets"]}
    assets = [a.model_copy(update={"zone": meta[a.name].get("zone"), "role": meta[a.name].get("role"),
                                   "importance": meta[a.name].get("importance"),
                                   "exposure": exposure.get(meta[a.name].get("zone"))}) for a in base.assets]
    return build_result(assets, ctx, datetime.now(timezone.utc))


@pytest.fixture(scope="module")
def page(result):
    return manager_page(result)


def test_rows_are_sorted_by_risk_not_by_action(page, result):
    first = page.groups[0]
    # the internet router with a known exploited CVE comes before the replacement of an unexposed lab switch
    assert (first.model, first.action, first.exposure, first.kev) == ("ISR4331/K9", "firmware", "internet", True)
    assert [g.action for g in page.groups].index("hardware") > 0
    keys = [g.risk_key() for g in page.groups]
    assert keys == sorted(keys)
    plan = upgrade_plan(result)            # the per-device plan follows the same order
    assert plan[0].asset == "border-rtr1" and plan[-1].asset == "lab-sw-c2960"


def test_totals_add_up_and_say_which_devices_to_add_where(page, result):
    plan = upgrade_plan(result)
    assert page.totals == {a: sum(p.action == a for p in plan) for a in ("hardware", "firmware", "config")}
    assert sum(len(g.assets) for g in page.groups) == len(plan)
    added = {n.name_en: n for n in page.to_add}
    assert added["IPS/IDS"].boundary and added["IPS/IDS"].where == ["DMZ", "边界区"]      # the exposed zones
    assert "boundary firewall" not in added                                              # border-fw1 is one
    assert not added["bastion host"].boundary
    assert {g.effort for g in page.groups} == {"purchase", "maintenance_window", "config_change"}


def test_every_end_of_support_or_vulnerability_claim_has_source_and_confidence(page):
    claims = [c for g in page.groups if g.action != "config" for c in g.claims]
    assert {c.kind for c in claims} >= {"vulnerability", "end_of_support"}
    for g in page.groups:
        if g.action in ("firmware", "hardware"):
            assert g.claims, g.model
    for c in claims:
        assert c.confidence in ("high", "low") and c.source and c.source != "—", c
    eos = next(c for c in claims if c.kind == "end_of_support")
    assert eos.confidence == "low" and "catalyst-2960-series" in eos.source       # the data marks it secondary
    cve = next(c for c in claims if c.subject == "CVE-2023-20198")
    assert cve.kev and cve.confidence == "high"


def test_a_claim_the_data_does_not_hold_is_of_low_confidence(result):
    from reports.manager import claims_of
    a = next(a for a in result.assets if a.name == "acc-sw-hw3")
    f = next(f for f in a.findings if f.check == "firmware_known_vulnerabilities_fixed")
    forged = f.model_copy(update={"evidence": [e.model_copy(update={"text": "CVE-1999-0001 not in the data"})
                                               for e in f.evidence]})
    (c,) = claims_of(a, forged)
    assert (c.subject, c.source, c.confidence) == ("CVE-1999-0001", "—", "low")


def _listed(platform: str, model: str, release: str) -> bool:
    return any(str(r["release"]) == release and any(fnmatch.fnmatch(model.upper(), p.upper()) for p in r["products"])
               for r in equipment.catalogue(platform).get("releases") or [])


def test_a_suggested_release_exists_for_that_model(page):
    suggested = [g for g in page.groups if g.action == "firmware" and g.target]
    assert [(g.model, g.target) for g in suggested] == [("ISR4331/K9", "17.9.4a")]
    for g in suggested:
        assert _listed(g.platform, g.model, g.target)
    s5700 = next(g for g in page.groups if g.model == "S5700-28C-SI")
    assert s5700.target is None and s5700.advice == "no_release"      # the advisory names no fixed release


@pytest.mark.parametrize("model, release, advisories, mins, want", [
    ("ISR4331/K9", "16.9.4", ["CVE-2023-20198"], [], "17.9.4a"),
    ("ISR4331/K9", "17.9.3", ["CVE-2023-20198"], [], "17.9.4a"),       # max_exclusive: 17.9.4a is fixed
    ("ISR4331/K9", "17.10.1", ["CVE-2023-20198"], [], None),           # no listed release is newer
    ("WS-C2960X-24TS-L", "15.0(2)SE11", ["CVE-2023-20198"], [], "15.2(7)E7"),
    ("WS-C2960X-24TS-L", "15.0(2)SE11", [], ["15.3(3)M3"], None),      # the listed release predates the feature
    ("WS-C2960X-24TS-L", "15.0(2)SE11", ["CVE-2017-6736"], [], None),  # inside that advisory's train-level range
    ("WS-C2960-24TT-L", "15.0(2)SE11", [], [], None),                  # 17.9.4a / 15.2(7)E7 are other products'
    (None, "16.9.4", ["CVE-2023-20198"], [], None),                    # model unknown: no release can be named
    ("C9300-48P", None, [], [], "17.9.4a"),
])
def test_upgrade_target_only_names_a_release_listed_for_the_model(model, release, advisories, mins, want):
    got = equipment.upgrade_target("cisco_ios", model, release, advisories, mins)
    if want is None:
        assert got is None
    else:
        assert got and str(got["release"]) == want and _listed("cisco_ios", model, want)


def test_every_listed_release_names_its_products_and_source():
    for platform in ("cisco_ios", "huawei_vrp", "hp_comware"):
        for r in equipment.catalogue(platform).get("releases") or []:
            assert r.get("release") and r.get("products") and r.get("source"), (platform, r)


def test_the_manager_page_is_in_html_pdf_and_xlsx(result, tmp_path):
    from openpyxl import load_workbook
    render(result, ["html", "xlsx", "pdf"], tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    m = manager_page(result)
    assert re.search(r'<b data-fig="mgr_replace">1</b>', page) and f'data-fig="mgr_upgrade">{m.totals["firmware"]}<' in page
    assert page.index('id="manager"') < page.index('class="t-plan') and 'data-target="17.9.4a"' in page
    rows = re.findall(r'<tr data-group="mg-\d+" data-action="(\w+)">', page)
    assert rows == [g.action for g in m.groups]
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "管理者摘要" in text and "17.9.4a" in text and "CVE-2023-20198" in text
    wb = load_workbook(tmp_path / "report.xlsx", read_only=True)
    sheet = [r for r in wb["7 整改建议"].iter_rows(values_only=True)]
    wb.close()
    assert sheet[0][0].startswith("管理者摘要") and sheet[1][:2] == ("需更换设备", 1)
    groups = [r for r in sheet if r and isinstance(r[0], int)]
    assert [r[1] for r in groups] == [g.model for g in m.groups]
    assert "升级至 17.9.4a" in groups[0][7] and "可信度" in groups[0][8]
