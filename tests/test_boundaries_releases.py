"""Boundary tables for what depends on the software release or the model (issue 15 must-have 2): the edges of
vulnerability ranges, of support dates, and of release-dependent vendor defaults. Values from the vendor documents:

- Cisco cisco-sa-iosxe-webui-privesc-j22SaA4z (CVE-2023-20198): IOS XE with the HTTP server on; 17.9 is fixed in
  17.9.4a, 16.12 is affected through 16.12.10 (checks/catalog/equipment/cisco_ios.yaml cites the sources).
- Cisco cisco-sa-20180328-smi2 (CVE-2018-0171): Smart Install clients from 12.2(52)SE, fixed trains up to 16.9.
- Huawei huawei-sa-20210519-02-dos (CVE-2021-22359): S5700/S6700 V200R005C00SPC500 exactly.
- Cisco ISR 4000 end-of-life bulletin: ISR4331 last date of support 2028-11-30.
- Huawei S-series `local-aaa-user password policy administrator`: enabled automatically from V200R010C00; VRP8
  enables it with a 90-day lifetime (docs/vendor-defaults.md Q12, checks/catalog/equipment/huawei_vrp.yaml).
"""
from __future__ import annotations

from datetime import date

import pytest

from scanner.engine import ScanContext, assess_config_bytes
from scanner.equipment import assess

TODAY = date(2026, 11, 27)


def ids(found) -> set[str]:
    return {a.id for a in found}


@pytest.mark.parametrize("release, http, want", [
    ("17.9.3", True, "confirmed"), ("17.9.4", True, "confirmed"), ("17.9.4a", True, None), ("17.9.5", True, None),
    ("16.12.10", True, "confirmed"), ("16.12.11", True, None), ("16.1.1", True, "confirmed"), ("15.9", True, None),
    ("17.9.3", False, None), ("17.9.3", None, "possible"),
])
def test_cisco_webui_advisory_edges(release, http, want):
    eq = assess("cisco_ios", None, release, {"http_server": http}, TODAY)
    got = "confirmed" if "CVE-2023-20198" in ids(eq.confirmed) else \
        "possible" if "CVE-2023-20198" in ids(eq.possible) else None
    assert got == want


@pytest.mark.parametrize("release, want", [("12.2(50)SE", False), ("12.2(52)SE", True), ("15.0(2)SE", True),
                                           ("16.8", True), ("16.9", False)])
def test_cisco_smart_install_advisory_edges(release, want):
    eq = assess("cisco_ios", None, release, {"smart_install": True}, TODAY)
    assert ("CVE-2018-0171" in ids(eq.confirmed)) == want


@pytest.mark.parametrize("model, release, want", [
    ("S5700-28C-SI", "V200R005C00SPC500", "confirmed"),
    ("S6700-48-EI", "V200R005C00SPC500", "confirmed"),
    (None, "V200R005C00SPC500", "possible"),           # a release string other product lines share: model needed
    ("CE6881-48S6CQ", "V200R005C00SPC500", None),      # another product line is not affected
    ("S5700-28C-SI", "V200R005C00SPC600", None),       # the advisory lists one exact release
])
def test_huawei_advisory_products(model, release, want):
    eq = assess("huawei_vrp", model, release, {}, TODAY)
    got = "confirmed" if "CVE-2021-22359" in ids(eq.confirmed) else \
        "possible" if "CVE-2021-22359" in ids(eq.possible) else None
    assert got == want


@pytest.mark.parametrize("today, ended", [(date(2028, 11, 29), False), (date(2028, 11, 30), False),
                                          (date(2028, 12, 1), True)])
def test_end_of_support_date(today, ended):
    eq = assess("cisco_ios", "ISR4331/K9", "17.9.5", {}, today)
    assert eq.lifecycle is not None and eq.support_ended is ended


def _vrp(version: str, policy: str = "") -> str:
    text = (f"!Software Version {version}\n#\nsysname R1\n#\naaa\n{policy}"
            " local-user ops password irreversible-cipher $1c$abcdefghij$abcdefghijklmnopqrstuvwxyz0123456789ab$\n"
            " local-user ops privilege level 15\n#\nuser-interface vty 0 4\n authentication-mode aaa\n#\nreturn\n")
    asset = assess_config_bytes(text.encode(), ScanContext.default(), "huawei_vrp", "r", "r.cfg")
    return next(f.status.value for f in asset.findings if f.check == "password_expiry_enforced")


@pytest.mark.parametrize("version, want", [
    ("V200R009C00SPC500", "fail"),      # before the automatic policy: no lifetime at all
    ("V200R010C00SPC600", "manual"),    # from V200R010C00 the policy is on by default: its lifetime is not in the file
    ("V200R019C10SPC500", "manual"),
    ("V100R005C01SPC100", "manual"),    # the command does not exist there: no claim either way
])
def test_vrp_password_lifetime_default_by_release(version, want):
    assert _vrp(version) == want


@pytest.mark.parametrize("days, want", [(89, "pass"), (90, "pass"), (91, "fail"), (0, "fail")])
def test_vrp_password_expire_values(days, want):
    policy = f" local-aaa-user password policy administrator\n  password expire {days}\n"
    assert _vrp("V200R019C10SPC500", policy) == want


# 8.1.4.4.e (hardware_vendor_supported) at its three edges: a model without lifecycle data is outside the check (not
# applicable, saying which model), a supported one passes until its end-of-support date, then it fails.
@pytest.mark.parametrize("model, today, status, en", [
    ("NoSuchBox-9000", date(2028, 1, 1), "not_applicable", "no lifecycle data for NoSuchBox-9000"),
    ("ISR4331/K9", date(2028, 11, 30), "pass", "ISR4331/K9 supported until 2028-11-30"),
    ("ISR4331/K9", date(2028, 12, 1), "fail", "ISR4331/K9 reached end of support on 2028-11-30: replace it"),
])
def test_vendor_support_verdict_by_model_and_date(model, today, status, en):
    from checks.network.lifecycle import _support
    from scanner.checkkit import Facts
    from scanner.policy import Policy
    v = _support.evaluate(Facts({"equipment": assess("cisco_ios", model, "17.9.5", {}, today)}, {}, str), Policy())
    assert (v.status.value, v.reason_en) == (status, en)
