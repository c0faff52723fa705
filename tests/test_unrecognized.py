"""No line left unread where it matters (issue 9 must-have 2).

Parsers report the lines they did not recognise inside the stanzas checks read (scanner/facts.py STANZAS); scan.json
records them (`assets[].parse`), the console and every report format count them, and a check that reads a fact fed
by such a stanza never passes on it (scanner/unread_rule.py). On the real corpus the count is held at zero, or each
remaining line is listed with why in tests/fixtures/real/unrecognized/<vendor>.yaml.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from openpyxl import load_workbook

from scanner import platforms
from scanner.datafiles import DataFileError
from scanner.engine import assess_config_bytes
from scanner.facts import STANZAS
from scanner.model import CheckStatus
from scanner.platforms.network import DEVICE_FACTS, STANZA_FACTS
from scanner.platforms.unread import data_file, irrelevant_lines

from conftest import FIXTURES, run_mlps

REAL = FIXTURES / "real"
LISTS = REAL / "unrecognized"

VRP_HEAD = "!Software Version V200R019C10SPC800\n#\nsysname EDGE-1\n#\n"
# A remote log host the check passes on, and a line the parser does not read that turns logs to it off.
LOGHOST = VRP_HEAD + "info-center loghost 10.9.9.9\n#\nreturn\n"
LOGHOST_OFF = VRP_HEAD + "info-center loghost 10.9.9.9\ninfo-center source default channel loghost log state off\n" \
    "#\nreturn\n"


def _assess(text: str, ctx, platform: str | None = None, name: str = "edge-1"):
    return assess_config_bytes(text.encode(), ctx, platform, name, f"{name}.cfg")


def _finding(asset, check: str):
    return next(f for f in asset.findings if f.check == check)


# -- the never-pass rule --------------------------------------------------------------------------------------------
def test_a_check_never_passes_on_a_stanza_holding_an_unread_line(ctx):
    assert _finding(_assess(LOGHOST, ctx), "logging_remote_host_configured").status == CheckStatus.PASS
    asset = _assess(LOGHOST_OFF, ctx)
    f = _finding(asset, "logging_remote_host_configured")
    assert f.status == CheckStatus.MANUAL
    assert "info-center L6" in f.reason_zh and "info-center line 6" in f.reason_en
    assert any(e.line == 6 and "state off" in e.text for e in f.evidence)       # the evidence names the line
    # a check that reads no fact of that stanza keeps its verdict
    assert _finding(asset, "remote_mgmt_telnet_disabled").status == _finding(_assess(LOGHOST, ctx),
                                                                             "remote_mgmt_telnet_disabled").status


def test_failures_stand_and_the_rule_only_touches_passes(ctx):
    weak = VRP_HEAD + "telnet server enable\ntelnet server-frobnicate 5\n#\nuser-interface vty 0 4\n" \
        " authentication-mode aaa\n protocol inbound all\n#\nreturn\n"
    asset = _assess(weak, ctx)
    assert [u.text for u in asset.parse.unrecognized] == ["telnet server-frobnicate 5"]
    assert _finding(asset, "remote_mgmt_telnet_disabled").status == CheckStatus.FAIL


def test_the_stanza_table_covers_every_stanza_with_known_facts():
    assert set(STANZA_FACTS) == set(STANZAS)
    assert all(facts and set(facts) <= set(DEVICE_FACTS) for facts in STANZA_FACTS.values())


# -- what the parsers report ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("platform,text,stanza,line", [
    ("huawei_vrp", VRP_HEAD + "aaa\n local-user admin password-frob cipher Zq7secUNREAD1\n#\nreturn\n", "local-user", 6),
    ("huawei_vrp", VRP_HEAD + "snmp-agent acl 2000\n#\nreturn\n", "snmp", 5),
    ("huawei_vrp", VRP_HEAD + "user-interface vty 0 4\n undo shell\n#\nreturn\n", "user-interface", 6),
    ("huawei_vrp", VRP_HEAD + "acl number 2000\n rule 5 frobnicate source 10.0.0.0 0.0.0.255\n#\nreturn\n", "acl", 6),
    ("huawei_vrp", VRP_HEAD + "interface MEth0/0/1\n ip address 10.1.1.1 255.255.255.0\n traffic-filter inbound acl "
     "3000\n#\nreturn\n", "mgmt-interface", 7),
    ("hp_comware", " version 7.1.070, Release 6126P20\n#\nline vty 0 63\n authentication-mode scheme\n frobnicate 1\n"
     "#\nreturn\n", "line", 5),
    ("hp_comware", " version 7.1.070, Release 6126P20\n#\npassword-control frobnicate 3\n#\nreturn\n",
     "password-control", 3),
])
def test_unread_lines_are_reported_with_stanza_line_and_masked_text(ctx, platform, text, stanza, line):
    asset = _assess(text, ctx, platform)
    got = [(u.stanza, u.line) for u in asset.parse.unrecognized]
    assert got == [(stanza, line)] and asset.parse.unrecognized_count == 1
    assert "Zq7secUNREAD1" not in asset.model_dump_json()                  # never a secret


def test_lines_outside_the_stanzas_checks_read_are_not_reported(ctx):
    text = VRP_HEAD + "vlan batch 10 20\n#\ninterface GigabitEthernet0/0/1\n port link-type trunk\n frobnicate\n" \
        "#\nstp mode rstp\n#\nreturn\n"
    assert _assess(text, ctx).parse.unrecognized_count == 0


def test_keywords_are_matched_case_insensitively_where_the_cli_is(ctx):
    """Huawei and H3C keywords are case-insensitive: an upper-case command is the same command, read the same way;
    names keep their case."""
    lower = VRP_HEAD + "undo telnet server enable\ninfo-center loghost 10.9.9.9\n#\nreturn\n"
    upper = VRP_HEAD + "UNDO TELNET SERVER ENABLE\nInfo-Center LogHost 10.9.9.9\n#\nreturn\n"
    a, b = _assess(lower, ctx), _assess(upper, ctx)
    assert b.parse.unrecognized_count == 0
    assert {f.check: f.status for f in a.findings} == {f.check: f.status for f in b.findings}
    assert _finding(b, "remote_mgmt_telnet_disabled").status == CheckStatus.PASS


@pytest.mark.parametrize("text,want", [
    ("LOCAL-USER Admin PASSWORD IRREVERSIBLE-CIPHER Zq7SecCASE1", "local-user Admin password irreversible-cipher "
                                                                 "Zq7SecCASE1"),
    ("local-user CIPHER password cipher SIMPLE", "local-user CIPHER password cipher SIMPLE"),   # names, secrets
    ("SNMP-AGENT COMMUNITY READ Public ACL 2000", "snmp-agent community read Public acl 2000"),
    ("SNMP-AGENT COMMUNITY READ CIPHER Write", "snmp-agent community read cipher Write"),
    ("Description Uplink To Telnet  Server", "description Uplink To Telnet  Server"),          # free text
    ("SYSNAME Core-Telnet", "sysname Core-Telnet"),
])
def test_keyword_form_lowers_keywords_and_keeps_values(text, want):
    from scanner.platforms.vrp_keywords import keyword_form
    assert keyword_form(text) == want


def test_the_keyword_list_holds_every_word_the_vrp_parsers_compare():
    """A keyword the parsers compare but the keyword list lacks would be missed when written in capitals."""
    import ast
    import re

    from conftest import ROOT
    from scanner.platforms.vrp_keywords import KEYWORDS
    values = {"config", "refused", "device-admin", "system-admin", "audit-admin", "network-admin", "level-15"}  # not CLI keywords
    found = set()
    for name in ("vrp_style", "huawei_vrp", "hp_comware", "vrp_units", "vrp_usg"):
        for n in ast.walk(ast.parse((ROOT / "scanner" / "platforms" / f"{name}.py").read_text(encoding="utf-8"))):
            parts = [n.left, *n.comparators] if isinstance(n, ast.Compare) else n.keys if isinstance(n, ast.Dict) else []
            found |= {c.value for p in parts if p is not None for c in ast.walk(p) if isinstance(c, ast.Constant)
                      and isinstance(c.value, str) and re.fullmatch(r"[a-z][a-z0-9-]*", c.value)}
    assert found - values <= KEYWORDS, sorted(found - values - KEYWORDS)


def test_upper_case_commands_give_the_same_users_and_communities(ctx):
    lower = VRP_HEAD + "aaa\n local-user Admin password irreversible-cipher Zq7secCASE3\n local-user Admin " \
        "privilege level 15\n#\nsnmp-agent community read Public\n#\nreturn\n"
    upper = VRP_HEAD + "AAA\n LOCAL-USER Admin PASSWORD IRREVERSIBLE-CIPHER Zq7secCASE3\n Local-User Admin " \
        "Privilege Level 15\n#\nSNMP-AGENT COMMUNITY READ Public\n#\nreturn\n"
    a, b = (platforms.get("huawei_vrp").parse({"config": t}).facts["device.users"] for t in (lower, upper))
    assert [(u.name, u.storage, u.privilege) for u in a.users] == [(u.name, u.storage, u.privilege) for u in b.users]
    assert b.users[0].name == "Admin" and b.users[0].privilege == 15
    assert [(c.access, c.well_known) for c in a.snmp.communities] == [(c.access, c.well_known)
                                                                       for c in b.snmp.communities]


# -- the irrelevant-line lists (data) --------------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware"])
def test_irrelevant_lists_say_why_for_every_entry(platform):
    entries = irrelevant_lines(platform)
    assert entries and all(e.why and e.stanzas <= set(STANZAS) for e in entries)


def test_a_broken_irrelevant_list_names_its_file_and_entry(tmp_path):
    from scanner.platforms import unread
    bad = tmp_path / "x.yaml"
    bad.write_text("irrelevant:\n  - stanza: snmp\n    match: 'snmp-agent ('\n    why: x\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x\.yaml: irrelevant entry 1: match is not a valid"):
        unread._entry(bad, 1, yaml.safe_load(bad.read_text())["irrelevant"][0])
    with pytest.raises(DataFileError, match="why"):
        unread._entry(bad, 2, {"stanza": "snmp", "match": "x"})
    with pytest.raises(DataFileError, match="stanza"):
        unread._entry(bad, 3, {"stanza": "bgp", "match": "x", "why": "y"})
    assert data_file("huawei_vrp").is_file()


# -- scan.json, the console and every report format ------------------------------------------------------------------
def test_scan_json_console_and_every_report_count_the_unread_lines(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "edge-1.cfg").write_text(LOGHOST_OFF, encoding="utf-8")
    (src / "edge-2.cfg").write_text(LOGHOST, encoding="utf-8")
    out = tmp_path / "out"
    r = run_mlps("scan", "--configs", str(src), "-o", str(out), "--format", "json,html,xlsx,junit,sarif")
    assert r.returncode == 0, r.stderr
    assets = {a["name"]: a for a in json.loads((out / "scan.json").read_text(encoding="utf-8"))["assets"]}
    assert assets["edge-1"]["parse"] == {"unrecognized_count": 1, "unrecognized": [
        {"stanza": "info-center", "line": 6, "text": "info-center source default channel loghost log state off",
         "document": "config"}]}
    assert assets["edge-2"]["parse"] == {"unrecognized_count": 0, "unrecognized": []}
    assert "edge-1: 1 unrecognised line(s) (info-center 1)" in r.stdout
    assert "edge-2:" not in r.stdout and "unrecognised lines: 1 in 1 asset(s)" in r.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'data-unread="1"' in html and 'data-unread="0"' in html and "未识别配置行：1行（1个资产）" in html
    ws = load_workbook(out / "report.xlsx").worksheets[2]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    col = rows[0].index("未识别配置行")
    assert {r[0]: r[col] for r in rows[1:]} == {"edge-1": 1, "edge-2": 0}
    props = {s.get("name"): s.find("properties/property").get("value")
             for s in ET.parse(out / "junit.xml").getroot().iter("testsuite")}
    assert props == {"edge-1": "1", "edge-2": "0"}
    sarif = json.loads((out / "results.sarif").read_text(encoding="utf-8"))["runs"][0]
    assert sarif["properties"]["unrecognized_lines"] == 1
    note = [x for x in sarif["results"] if x["ruleId"] == "unrecognized_line"]
    assert len(note) == 1 and note[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 6


# -- the real corpus -------------------------------------------------------------------------------------------------
# One list per vendor folder of the corpus: <config path relative to tests/fixtures/real>: [{line, stanza, text, why}].
# A vendor is covered once its list exists (Cisco: cisco_ios.yaml, written with the Cisco parser's work).
VENDORS = sorted(p.stem for p in LISTS.glob("*.yaml"))


@pytest.mark.parametrize("vendor", VENDORS)
def test_real_corpus_has_no_unread_line_but_the_listed_ones(vendor, ctx):
    listed = yaml.safe_load((LISTS / f"{vendor}.yaml").read_text(encoding="utf-8")) or {}
    configs = sorted((REAL / vendor).glob("*.cfg"))
    assert set(listed) <= {p.relative_to(REAL).as_posix() for p in configs}, "listed configs that do not exist"
    new, gone = [], []
    for path in configs:
        rel = path.relative_to(REAL).as_posix()
        parsed = platforms.get(vendor).parse({"config": path.read_text(encoding="utf-8", errors="replace")})
        got = {(u.line, u.stanza, u.text) for u in parsed.unrecognized}
        want = {(e["line"], e["stanza"], e["text"]) for e in listed.get(rel) or []}
        assert all(str(e.get("why", "")).strip() for e in listed.get(rel) or []), f"{rel}: an entry without why"
        new += [(rel, *x) for x in sorted(got - want)]
        gone += [(rel, *x) for x in sorted(want - got)]
    assert not new, "unread lines not listed: teach the parser, add an irrelevant-line entry, or list them:\n" + \
        "\n".join(map(str, new))
    assert not gone, "listed lines no longer reported: remove them from the list:\n" + "\n".join(map(str, gone))


def test_every_corpus_vendor_folder_with_a_parser_of_ours_has_a_list():
    # cisco_ios.yaml comes with the Cisco parser's unread lines (another branch); until then Cisco is not covered
    assert {"huawei_vrp", "hp_comware"} <= set(VENDORS)


# -- hostile unread lines --------------------------------------------------------------------------------------------
def test_hostile_unread_lines_are_masked_escaped_and_bounded(tmp_path, ctx):
    lines = ["aaa", " local-user ops password cipher Zq7secHOSTILE9", " local-user ops frob <script>alert(1)</script>",
             " local-user ops frob \x1b[31mred\x1b[0m", " LOCAL-USER ops FROB CIPHER Zq7secHOSTILE8",
             " local-user ops frob Zq7secHOSTILE9"]                    # the account's own password, quoted again
    lines += [f" local-user ops frob-{i}" for i in range(3000)]
    text = VRP_HEAD + "\n".join(lines) + "\n#\ninfo-center loghost 10.9.9.9\n#\nreturn\n"
    asset = _assess(text, ctx)
    dumped = asset.model_dump_json()
    assert asset.parse.unrecognized_count == 3004
    assert "Zq7secHOSTILE9" not in dumped and "Zq7secHOSTILE8" not in dumped
    held = [f for f in asset.findings if "未能识别" in f.reason_zh]
    assert held and all("…" in f.reason_zh and f.reason_zh.count(" L") <= 5 for f in held)   # five lines named
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.cfg").write_text(text, encoding="utf-8")
    r = run_mlps("scan", "--configs", str(src), "-o", str(tmp_path / "out"), "--format", "json,html,sarif")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "hostile: 3004 unrecognised line(s) (local-user 3004)" in r.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "Zq7secHOSTILE" not in html and html.count("local-user ops frob-") <= 20
    sarif = (tmp_path / "out" / "results.sarif").read_text(encoding="utf-8")
    assert "\x1b" not in sarif and "Zq7secHOSTILE" not in sarif


@pytest.mark.parametrize("damage", ["missing", "broken"])
def test_a_missing_or_broken_irrelevant_list_stops_the_scan(tmp_path, damage):
    """The lists decide verdicts (a listed line does not hold a pass back): without them the scan stops, exit 2."""
    import os
    import shutil
    import subprocess
    import sys

    from conftest import CONFIGS, ROOT
    copy = tmp_path / "tree"
    for pkg in ("scanner", "checks", "reports"):
        shutil.copytree(ROOT / pkg, copy / pkg, ignore=shutil.ignore_patterns("__pycache__", "raw"))
    target = copy / "scanner" / "platforms" / "data" / "hp_comware.yaml"
    if damage == "missing":
        target.unlink()
    else:
        target.write_text("irrelevant:\n  - stanza: snmp\n    match: 'snmp-agent ('\n    why: x\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "scanner.cli", "scan", "--configs", str(CONFIGS / "hp_comware"),
                        "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(copy), COLUMNS="200"), cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "hp_comware.yaml" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out" / "scan.json").exists()
