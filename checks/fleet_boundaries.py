"""Fleet checks per boundary. Where the inventory declares its boundaries (`boundaries:`: the two zones each one
separates and the devices on it), every boundary is judged for what GB/T 22239-2019 8.1.3 asks at an area boundary,
and each missing function is named with its boundary, so the plan says what to add where. These replace the
whole-inventory check `fleet_security_devices_present`, which only asks whether a firewall, an IPS... exists
somewhere. Pure functions over the assets' roles and fleet facts and the declared boundaries."""
from __future__ import annotations

from scanner.checkkit import FleetVerdict, fleet_check
from scanner.model import Asset, AssetStatus, Boundary, CheckStatus, FixKind
from scanner.zones import UNCONTROLLED

# The security functions each role provides (a UTM / next-generation firewall provides several).
FUNCTIONS = {
    "firewall": {"access_control"},
    "utm": {"access_control", "intrusion_prevention", "anti_malware"},
    "ips": {"intrusion_prevention"}, "ids": {"intrusion_prevention"},
    "anti_malware": {"anti_malware"},
    "log_audit": {"audit"},
    "bastion": {"bastion"},
}
DEVICE_ZH = {"access_control": "防火墙", "intrusion_prevention": "入侵防御系统（IPS）",
             "anti_malware": "防病毒网关（或具备防病毒功能的UTM）", "audit": "日志审计/网络审计系统"}
DEVICE_EN = {"access_control": "a firewall", "intrusion_prevention": "an IPS",
             "anti_malware": "an anti-malware gateway (or a UTM with it)", "audit": "a log or network audit system"}


def _devices(boundaries: list[Boundary]) -> tuple[str, ...]:
    """The devices on these boundaries, each named once (a firewall often sits on several)."""
    return tuple(dict.fromkeys(d for b in boundaries for d in b.devices))


def _functions(b: Boundary, by_name: dict[str, Asset]) -> set[str]:
    return {f for d in b.devices if d in by_name for f in FUNCTIONS.get(by_name[d].role or "", ())}


def _logs_remotely(b: Boundary, by_name: dict[str, Asset]) -> bool:
    """Every device on the boundary sends its logs to a remote collector (a boundary with no device: no)."""
    def logs(d: str) -> bool:
        a = by_name.get(d)
        return bool(a and a.status == AssetStatus.ASSESSED and a.fleet and a.fleet.syslog_hosts)
    return bool(b.devices) and all(logs(d) for d in b.devices)


def _missing(boundaries: list[Boundary], assets: list[Asset], function: str, only_uncontrolled: bool
             ) -> tuple[list[Boundary], list[Boundary]]:
    """(the boundaries judged, those of them without the function; audit is also met by remote logging)."""
    by_name = {a.name: a for a in assets}
    judged = [b for b in boundaries if b.exposure in UNCONTROLLED or not only_uncontrolled]
    return judged, [b for b in judged if function not in _functions(b, by_name)
                    and not (function == "audit" and _logs_remotely(b, by_name))]


# function -> whether only internet/untrusted boundaries must have it (a failure names those lacking it)
REQUIRED_AT = {"access_control": True, "intrusion_prevention": True, "anti_malware": True, "audit": False}


def lacking(boundaries: list[Boundary], assets: list[Asset], function: str) -> list[Boundary]:
    """The boundaries a failed per-boundary check names for `function` (what the plan says to add where)."""
    return _missing(boundaries, assets, function, REQUIRED_AT[function])[1]


def _verdict(judged: list[Boundary], lacking: list[Boundary], function: str, passed_zh: str, passed_en: str,
             what_zh: str) -> FleetVerdict:
    if not judged:
        return FleetVerdict(CheckStatus.NOT_APPLICABLE, f"资产清单声明的边界中无需{what_zh}的边界",
                            "no declared boundary needs it")
    if lacking:
        names = [f"{b.name}（{'/'.join(b.between)}）" for b in lacking]
        return FleetVerdict(
            CheckStatus.FAIL, f"以下边界未部署{DEVICE_ZH[function]}：" + "、".join(names),
            f"boundaries without {DEVICE_EN[function]}: " + ", ".join(b.name for b in lacking),
            _devices(lacking),
            "；".join(f"在边界{b.name}（{b.between[0]}与{b.between[1]}之间）增加{DEVICE_ZH[function]}" for b in lacking),
            "; ".join(f"add {DEVICE_EN[function]} at boundary {b.name} (between {b.between[0]} and {b.between[1]})"
                      for b in lacking))
    return FleetVerdict(CheckStatus.PASS, passed_zh + "：" + "、".join(b.name for b in judged), passed_en,
                        _devices(judged))


@fleet_check(id="fleet_boundary_controlled_interface", title_zh="每个区域边界经防火墙等受控接口通信",
             title_en="Every boundary crosses a controlled interface (firewall)", controls=("8.1.3.1.a",),
             fix_kind=FixKind.HARDWARE, scope="boundaries")
def _controlled_interface(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    """A firewall on every internet/untrusted boundary. Between internal zones, ACLs on the switches or routers on
    the boundary may serve as the controlled interface (assessors accept both), which the fleet facts cannot show:
    such a boundary without a firewall is left to the assessor, never passed."""
    outer = [b for b in boundaries if b.exposure in UNCONTROLLED]
    judged, lacking = _missing(outer, assets, "access_control", only_uncontrolled=True)
    if lacking or not boundaries:
        return _verdict(judged, lacking, "access_control", "", "", "访问控制")
    _, inner = _missing(boundaries, assets, "access_control", only_uncontrolled=False)
    if inner:
        return FleetVerdict(CheckStatus.MANUAL, "内部边界未部署防火墙，需核查其上设备的访问控制列表是否构成受控接口："
                            + "、".join(f"{b.name}（{'/'.join(b.between)}）" for b in inner),
                            "internal boundaries without a firewall (their devices' ACLs may be the controlled "
                            "interface, to be checked): " + ", ".join(b.name for b in inner),
                            _devices(inner))
    return _verdict(boundaries, [], "access_control", "每个边界均部署防火墙", "a firewall sits on every boundary",
                    "访问控制")


@fleet_check(id="fleet_boundary_default_deny", title_zh="每个区域边界默认拒绝（除允许通信外）",
             title_en="Every boundary denies by default", controls=("8.1.3.2.a",),
             fix_kind=FixKind.HARDWARE, scope="boundaries")
def _default_deny(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    v = _controlled_interface.evaluate(assets, boundaries)
    if v.status == CheckStatus.FAIL:      # the same missing firewalls: their recommendation is given once, there
        return FleetVerdict(v.status, v.reason_zh, v.reason_en, v.assets)
    if v.status != CheckStatus.PASS:
        return v
    return FleetVerdict(CheckStatus.MANUAL, "每个边界均部署防火墙；其策略是否默认拒绝需核查防火墙安全策略（扫描器未读取）",
                        "a firewall sits on every boundary; whether its policy denies by default is to be checked "
                        "in the firewall's rules (not read by the scanner)", v.assets)


@fleet_check(id="fleet_boundary_intrusion_prevention", title_zh="互联网及不可信边界部署入侵防御",
             title_en="Intrusion prevention at internet and untrusted boundaries",
             controls=("8.1.3.3.a", "8.1.3.3.b"), fix_kind=FixKind.HARDWARE, scope="boundaries")
def _intrusion(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    judged, lacking = _missing(boundaries, assets, "intrusion_prevention", only_uncontrolled=True)
    return _verdict(judged, lacking, "intrusion_prevention", "互联网/不可信边界均部署IPS/IDS",
                    "every internet or untrusted boundary has an IPS/IDS", "入侵防范")


@fleet_check(id="fleet_boundary_anti_malware", title_zh="互联网及不可信边界部署恶意代码防范",
             title_en="Anti-malware at internet and untrusted boundaries", controls=("8.1.3.4.a",),
             fix_kind=FixKind.HARDWARE, scope="boundaries")
def _anti_malware(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    judged, lacking = _missing(boundaries, assets, "anti_malware", only_uncontrolled=True)
    return _verdict(judged, lacking, "anti_malware", "互联网/不可信边界均部署防病毒网关或UTM",
                    "every internet or untrusted boundary has anti-malware", "恶意代码防范")


@fleet_check(id="fleet_boundary_audit", title_zh="每个区域边界进行安全审计", title_en="Audit at every boundary",
             controls=("8.1.3.5.a",), fix_kind=FixKind.HARDWARE, scope="boundaries")
def _audit(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    """A boundary is audited by an audit system on it, or by every device on it logging to a remote collector (a
    boundary with no device on it is audited by nothing)."""
    judged, without = _missing(boundaries, assets, "audit", only_uncontrolled=False)
    return _verdict(judged, without, "audit", "每个边界均有审计（审计系统或设备日志集中外发）",
                    "every boundary is audited (an audit system, or every device on it logs remotely)", "安全审计")


@fleet_check(id="fleet_management_via_bastion", title_zh="经管理区堡垒机进行运维管理",
             title_en="Management through a bastion in the management zone", controls=("8.1.5.1.a", "8.1.5.4.b"),
             fix_kind=FixKind.HARDWARE, scope="boundaries")
def _bastion(assets: list[Asset], boundaries: list[Boundary]) -> FleetVerdict:
    """A bastion host in a zone of exposure `management`, and every network device limiting who may manage it (an
    ACL on every remote path, or no remote path): otherwise management can bypass the bastion."""
    bastions = [a.name for a in assets if a.role == "bastion" and a.exposure == "management"]
    if not bastions:
        return FleetVerdict(CheckStatus.FAIL, "管理区（exposure: management）中无堡垒机（role: bastion）",
                            "no bastion host (role: bastion) in a management zone",
                            recommendation="在管理区增加运维审计系统（堡垒机），设备仅允许自堡垒机管理",
                            recommendation_en="add a bastion host in the management zone and let devices be "
                                              "managed only from it")
    nets = [a for a in assets if a.status == AssetStatus.ASSESSED and a.kind == "network_device" and a.fleet]
    open_ = [a.name for a in nets if a.fleet.remote_mgmt == "unrestricted"]
    if open_:
        return FleetVerdict(CheckStatus.FAIL, f"已部署堡垒机（{'、'.join(bastions)}），但以下设备的远程管理未限制来源，"
                            "可绕过堡垒机：" + "、".join(open_),
                            "bastion present, but these devices accept management from anywhere: " + ", ".join(open_),
                            tuple(open_))
    unknown = [a.name for a in nets if a.fleet.remote_mgmt is None]
    if unknown:
        return FleetVerdict(CheckStatus.MANUAL, "已部署堡垒机；以下设备的管理来源无法从配置判定：" + "、".join(unknown),
                            "bastion present; management sources undetermined on: " + ", ".join(unknown),
                            tuple(unknown))
    return FleetVerdict(CheckStatus.PASS, f"管理区部署堡垒机（{'、'.join(bastions)}），网络设备均限制管理来源",
                        "a bastion in the management zone, and every network device limits its management sources",
                        tuple(bastions))
