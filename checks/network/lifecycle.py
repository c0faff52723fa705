"""入侵防范 e) (8.1.4.4.e): known high-risk vulnerabilities of the running release, and equipment past its
end of support (no more security fixes). Data: checks/catalog/equipment/<platform>.yaml."""
from __future__ import annotations

from scanner.checkkit import Facts, Verdict, check, failed, manual, not_applicable, passed
from scanner.model import FixKind, Severity
from scanner.policy import Policy


@check(id="firmware_known_vulnerabilities_fixed", title_zh="软件版本无已知高危漏洞",
       title_en="No known high-risk vulnerability", controls=("8.1.4.4.e",), severity=Severity.HIGH,
       needs=("equipment",), fix_kind=FixKind.FIRMWARE, high_risk=("6.4.3.2",))
def _advisories(facts: Facts, policy: Policy) -> Verdict:
    eq = facts["equipment"]
    if not eq.release:
        return manual("配置中未包含软件版本，无法比对已知漏洞（在线扫描会采集 display/show version）",
                      "software release unknown: cannot match advisories")
    if eq.confirmed:
        ids = "、".join(f"{a.id}（{a.severity}{', 修复于 ' + a.fixed_in if a.fixed_in else ''}）" for a in eq.confirmed)
        return failed(f"软件版本{eq.release}存在已知高危漏洞：{ids}，需升级",
                      f"release {eq.release} has known high-risk vulnerabilities: "
                      + ", ".join(a.id for a in eq.confirmed),
                      [facts.note(f"{a.id} {a.advisory or ''} {a.title} — {a.why}; source: {a.source}", source="advisory")
                       for a in eq.confirmed])
    if eq.possible:
        return manual(f"软件版本{eq.release}可能受以下漏洞影响，需按厂商公告核实：" + "、".join(a.id for a in eq.possible),
                      "possibly affected, verify with the vendor advisory: " + ", ".join(a.id for a in eq.possible),
                      [facts.note(f"{a.id} {a.title} — {a.why}", source="advisory") for a in eq.possible])
    # no catalogued advisory matches, which proves nothing about the rest: GB/T 28448 tests 8.1.4.4.e by a
    # vulnerability scan, so the item waits for one (issue 12: what still needs a scan is never 符合)
    return manual(f"软件版本{eq.release}不在已收录的{eq.advisories_known}条高危漏洞影响范围内；是否存在其他已知漏洞需漏洞扫描确认",
                  f"release {eq.release} matches none of the {eq.advisories_known} catalogued advisories; "
                  "whether other known vulnerabilities remain needs a vulnerability scan")


@check(id="hardware_vendor_supported", title_zh="设备仍在厂商安全服务期内",
       title_en="Equipment still supported by its vendor", controls=("8.1.4.4.e",), severity=Severity.MEDIUM,
       needs=("equipment",), fix_kind=FixKind.HARDWARE)
def _support(facts: Facts, policy: Policy) -> Verdict:
    eq = facts["equipment"]
    if not eq.model:
        return manual("设备型号未知，无法判断是否已停止服务（在线扫描会采集型号）", "model unknown")
    lc = eq.lifecycle
    if lc is None or lc.end_of_support is None:
        return not_applicable(f"未收录型号{eq.model}的停止服务信息", f"no lifecycle data for {eq.model}")
    if eq.support_ended:
        repl = f"，可替换为{lc.replacement}" if lc.replacement else ""
        return failed(f"{eq.model}已于{lc.end_of_support}停止服务（不再提供安全补丁），需更换设备{repl}",
                      f"{eq.model} reached end of support on {lc.end_of_support}: replace it",
                      [facts.note(f"{lc.match}: end of sale {lc.end_of_sale}, end of support {lc.end_of_support}; "
                                  f"source: {lc.source}", source="lifecycle")])
    return passed(f"{eq.model}仍在厂商服务期内（至{lc.end_of_support}）",
                  f"{eq.model} supported until {lc.end_of_support}",
                  [facts.note(f"{lc.match}: end of support {lc.end_of_support}; source: {lc.source}", source="lifecycle")])
