"""Vulnerability release ranges, at their edges: every range is closed or open-ended on purpose (a range left open
flagged IOS XE 17.9.4a for CVE-2018-0171, fixed in 2018)."""
from __future__ import annotations

from datetime import date

import pytest
import yaml

from scanner.checkdata import _open_ranges, load_reference
from scanner.equipment import _in_range, assess

TODAY = date(2026, 11, 27)
ALL_ON = {"smart_install": True, "telnet": True, "snmp": True, "http_server": True, "ssh": True}


@pytest.mark.parametrize("release, rng, expected", [
    ("15.9", {"min": "16.0", "max_exclusive": "16.9"}, False),       # below the lower bound
    ("16.0", {"min": "16.0", "max_exclusive": "16.9"}, True),        # at the lower bound (inclusive)
    ("16.8.9", {"min": "16.0", "max_exclusive": "16.9"}, True),
    ("16.9", {"min": "16.0", "max_exclusive": "16.9"}, False),       # at the exclusive upper bound
    ("16.9.1", {"min": "16.0", "max_exclusive": "16.9"}, False),
    ("16.9", {"max_inclusive": "16.9"}, True),                       # at the inclusive upper bound
    ("16.9.1", {"max_inclusive": "16.9"}, False),
    ("V200R019C10SPC500", {"min": "V200R019C00", "max_exclusive": "V200R019C10SPC600"}, True),
    ("V200R019C10SPC600", {"min": "V200R019C00", "max_exclusive": "V200R019C10SPC600"}, False),
    ("17.9.4a", {"equals": "17.9.4a"}, True),
    ("17.9.4", {"equals": "17.9.4a"}, False),
    ("99.1", {"min": "16.0", "open_ended": "no fixed release published"}, True),   # open on purpose: matches
    ("15.0", {"min": "16.0", "open_ended": "no fixed release published"}, False),
    ("17.9.4a", {"min": "12.2(52)SE", "max_exclusive": None}, None),  # open by mistake: never matches
    ("12.2(55)SE1", {"unknown": "source gives no releases"}, None),
    ("12.2(55)SE1", {"min": None, "max_exclusive": None}, None),
])
def test_range_edges(release, rng, expected):
    assert _in_range(release, rng) is expected


@pytest.mark.parametrize("release, flagged", [
    ("12.2(50)SE", False),        # before Smart Install existed
    ("12.2(52)SE", True),         # the first release with Smart Install
    ("15.2(7)E3", True),
    ("16.8.1", True),
    ("16.9", False),              # the first train published with the fix
    ("17.9.4a", False),           # the false alarm seen on a real C9200L config
])
def test_smart_install_rce_range(release, flagged):
    e = assess("cisco_ios", "WS-C2960X-48FPD-L", release, ALL_ON, TODAY)
    assert ("CVE-2018-0171" in {a.id for a in e.confirmed + e.possible}) is flagged


def test_smart_install_rce_needs_the_client_on():
    e = assess("cisco_ios", "WS-C2960X-48FPD-L", "15.2(7)E3", ALL_ON | {"smart_install": False}, TODAY)
    assert "CVE-2018-0171" not in {a.id for a in e.confirmed + e.possible}


def test_shipped_equipment_data_has_no_range_left_open():
    assert [p for p in load_reference().problems if "upper bound" in p] == []


def test_a_range_left_open_is_a_data_problem(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("vulnerabilities:\n  - id: CVE-1\n    affected:\n      - {min: '1.0', max_exclusive: null}\n"
                 "      - {min: '2.0', open_ended: unfixed}\n      - {unknown: no list}\n      - {min: '3', max_inclusive: '4'}\n")
    problems = _open_ranges(f, yaml.compose(f.read_text()).value[0][1])
    assert len(problems) == 1 and "line 4" in problems[0] and "CVE-1" in problems[0]
