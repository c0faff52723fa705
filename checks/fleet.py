"""Fleet-wide checks: judgements over the whole inventory, not one device (redundancy of key devices, security
devices at the boundaries, one management zone, central logging and time). Pure functions over the assets'
inventory attributes and fleet facts."""
from __future__ import annotations

from collections import defaultdict

from scanner.checkkit import FleetVerdict, fleet_check
from scanner.model import Asset, AssetStatus, CheckStatus, FixKind

KEY_ROLES = ("core", "border", "firewall")
MGMT_ZONE_WORDS = ("管理", "mgmt", "management", "oob", "带外")
# role(s) that provide each boundary security function, and the items they serve
SECURITY_FUNCTIONS = [
    (("firewall", "utm"), "边界防火墙", "boundary firewall", ("8.1.3.1.a", "8.1.3.2.a")),
    (("ips", "ids", "utm"), "入侵防御/检测系统（IPS/IDS）", "IPS/IDS", ("8.1.3.3.a", "8.1.3.3.b")),
    (("log_audit",), "日志审计系统", "log audit system", ("8.1.3.5.a", "8.1.5.4.d")),
    (("bastion",), "运维审计系统（堡垒机）", "bastion host", ("8.1.5.1.a", "8.1.5.4.b")),
]


def _assessed(assets: list[Asset]) -> list[Asset]:
    return [a for a in assets if a.status == AssetStatus.ASSESSED]


@fleet_check(id="fleet_admin_passwords_distinct", title_zh="各设备管理员口令不相同（无通用口令）",
             title_en="No administrator password shared across devices", controls=("8.1.4.1.a",))
def _shared_admin_password(assets: list[Asset]) -> FleetVerdict:
    owners: dict[str, list[str]] = defaultdict(list)
    for a in _assessed(assets):
        if a.fleet:
            for fp in a.fleet.admin_secrets:
                owners[fp].append(a.name)
    shared = sorted({n for names in owners.values() if len(set(names)) > 1 for n in names})
    if shared:
        return FleetVerdict(CheckStatus.FAIL,
                            "多台设备的管理员口令（或其散列）相同，存在通用口令：" + "、".join(shared),
                            "the same administrator password (or hash) is used on several devices: "
                            + ", ".join(shared),
                            tuple(shared), "为每台设备设置不同的管理员口令，或改用集中认证（AAA）",
                            "give every device its own administrator password, or use central authentication (AAA)")
    if not owners:
        return FleetVerdict(CheckStatus.MANUAL, "配置中无可比较的本地管理员口令",
                            "no local administrator passwords to compare")
    return FleetVerdict(CheckStatus.PASS, "各设备的本地管理员口令互不相同",
                        "local administrator passwords differ between devices")


@fleet_check(id="fleet_key_devices_redundant", title_zh="关键网络设备冗余",
             title_en="Key network devices are redundant", controls=("8.1.2.1.e",), fix_kind=FixKind.HARDWARE)
def _redundancy(assets: list[Asset]) -> FleetVerdict:
    key = [a for a in assets if a.role in KEY_ROLES]
    if not key:
        return FleetVerdict(CheckStatus.MANUAL, "资产清单未标注核心/边界/防火墙设备（role），无法判定冗余",
                            "no asset has role core/border/firewall: redundancy cannot be judged")
    groups: dict[str, list[Asset]] = defaultdict(list)
    for a in key:
        groups[a.redundancy_group or f"{a.role}@{a.zone}"].append(a)
    single = [a for a in key if len(groups[a.redundancy_group or f"{a.role}@{a.zone}"]) < 2
              and not (a.fleet and a.fleet.redundancy)]
    if single:
        names = [a.name for a in single]
        return FleetVerdict(CheckStatus.FAIL,
                            "关键设备无冗余（同组/同区域仅一台且无堆叠/VRRP/HRP等证据）：" + "、".join(names),
                            "key devices without redundancy: " + ", ".join(names), tuple(names),
                            "为上述关键设备增加冗余设备（双机、堆叠/IRF、VRRP/HRP）",
                            "make these key devices redundant (a second device, stacking/IRF, VRRP/HRP)")
    return FleetVerdict(CheckStatus.PASS, "核心、边界和防火墙设备均成对部署或有设备级冗余",
                        "core, border and firewall devices are deployed in pairs or redundantly",
                        tuple(a.name for a in key))


@fleet_check(id="fleet_security_devices_present", title_zh="区域边界部署安全设备",
             title_en="Security devices at the boundaries",
             controls=tuple(sorted({c for *_, cs in SECURITY_FUNCTIONS for c in cs})), fix_kind=FixKind.HARDWARE,
             scope="no_boundaries")     # with declared boundaries: checks/fleet_boundaries.py, per boundary
def _security_devices(assets: list[Asset]) -> FleetVerdict:
    roles = {a.role for a in assets if a.role}
    if not roles:
        return FleetVerdict(CheckStatus.MANUAL, "资产清单未标注设备角色（role），无法判定安全设备部署",
                            "no roles in the inventory: security devices cannot be judged")
    missing = [(zh, en) for rs, zh, en, _ in SECURITY_FUNCTIONS if not roles & set(rs)]
    if missing:
        return FleetVerdict(CheckStatus.FAIL, "资产清单中缺少安全设备：" + "、".join(z for z, _ in missing),
                            "security devices missing from the inventory: " + ", ".join(e for _, e in missing),
                            recommendation="需增加安全设备：" + "、".join(z for z, _ in missing),
                            recommendation_en="security devices to add: " + ", ".join(e for _, e in missing))
    return FleetVerdict(CheckStatus.PASS, "防火墙、IPS/IDS、日志审计和堡垒机均已部署",
                        "firewall, IPS/IDS, log audit and bastion host are present")


@fleet_check(id="fleet_management_zone", title_zh="划分管理区域并统一管理路径", title_en="One management zone and path",
             controls=("8.1.5.4.a",))
def _mgmt_zone(assets: list[Asset]) -> FleetVerdict:
    zones = {a.zone for a in assets if a.zone}
    mgmt = sorted(z for z in zones if any(w in z.lower() for w in MGMT_ZONE_WORDS))   # a set: one order every run
    nets = [a for a in _assessed(assets) if a.kind == "network_device" and a.fleet is not None]
    if not zones:
        return FleetVerdict(CheckStatus.MANUAL, "资产清单未标注安全区域（zone），无法判定管理区",
                            "no zones in the inventory")
    if not mgmt:
        return FleetVerdict(CheckStatus.FAIL, "未划分专门的管理区域（资产清单中无管理区）",
                            "no dedicated management zone",
                            recommendation="划分管理区并将网管、日志、堡垒机等部署其中",
                            recommendation_en="set up a management zone and put network management, log and bastion "
                                              "hosts in it")
    # a device with no remote management path (console or out-of-band only) needs no management sources
    unrestricted = [a.name for a in nets if not a.fleet.mgmt_sources and a.fleet.remote_mgmt != "local_only"]
    source_sets = {tuple(a.fleet.mgmt_sources) for a in nets if a.fleet.mgmt_sources}
    if unrestricted or len(source_sets) > 1:
        why = []
        if unrestricted:
            why.append("未限制管理来源：" + "、".join(unrestricted))
        if len(source_sets) > 1:
            why.append(f"各设备允许的管理来源不一致（{len(source_sets)}种）")
        return FleetVerdict(CheckStatus.FAIL, f"已划分管理区（{'、'.join(mgmt)}），但" + "；".join(why),
                            "management zone exists but devices are not all managed from it", tuple(unrestricted))
    return FleetVerdict(CheckStatus.PASS, f"管理区：{'、'.join(mgmt)}；网络设备仅允许同一管理网段接入",
                        "one management zone; every device admits management from the same sources")


@fleet_check(id="fleet_central_logging", title_zh="日志集中收集与时间同步",
             title_en="Central log collection and time sync", controls=("8.1.5.4.d",))
def _central_logging(assets: list[Asset]) -> FleetVerdict:
    members = [a for a in _assessed(assets) if a.fleet is not None]
    if not members:
        return FleetVerdict(CheckStatus.MANUAL, "无已评估资产", "no assessed assets")
    no_log = [a.name for a in members if not a.fleet.syslog_hosts]
    no_ntp = [a.name for a in members if a.fleet.ntp is False]
    common = set.intersection(*(set(a.fleet.syslog_hosts) for a in members if a.fleet.syslog_hosts)) \
        if len(members) > len(no_log) else set()
    problems_zh, problems_en = [], []
    if no_log:
        problems_zh.append("未发送日志：" + "、".join(no_log))
        problems_en.append("not logging remotely: " + ", ".join(no_log))
    if not no_log and not common:
        problems_zh.append("设备的日志服务器不统一，无集中收集点")
        problems_en.append("no common log collector")
    if no_ntp:
        problems_zh.append("未同步时间：" + "、".join(no_ntp))
        problems_en.append("no time sync: " + ", ".join(no_ntp))
    if problems_zh:
        return FleetVerdict(CheckStatus.FAIL, "；".join(problems_zh), "; ".join(problems_en),
                            tuple(sorted(set(no_log + no_ntp))))
    return FleetVerdict(CheckStatus.PASS,
                        "所有资产将日志发送至集中日志服务器（" + "、".join(sorted(common)) + "）并同步时间",
                        "every asset logs to a common collector and syncs time")
