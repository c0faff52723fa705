"""Asset lists as people keep them (CSV or XLSX, English or Chinese headers) -> inventory assets.

The header map below is the documented one (docs/inventories.md); a file can extend it on its first line with
`#mlps-columns: 主机=name, 地址=address, 序列号=-` (`-`: a column to ignore), and `mlps inventory convert
--columns` takes the same text. A column that looks like a secret is refused whatever the map says.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import ValidationError

from scanner import platforms
from scanner.importers import Imported, Skipped
from scanner.inventory import ROLES, Inventory, InventoryAsset, InventoryError, _msg

IGNORE = "-"
# canonical field -> headers meaning it (compared lower-cased, without spaces, '_' or '-')
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "hostname", "host", "devicename", "device", "设备名称", "设备名", "主机名", "名称", "资产名称"),
    "address": ("address", "ip", "ipaddress", "mgmtip", "managementip", "管理ip", "管理地址", "ip地址", "管理ip地址"),
    "platform": ("platform", "os", "平台", "操作系统", "系统"),
    "vendor": ("vendor", "manufacturer", "brand", "厂商", "品牌", "生产厂商", "厂家"),
    "zone": ("zone", "area", "区域", "安全区域", "所属区域", "网络区域"),
    "role": ("role", "角色", "设备角色", "设备类型"),
    "importance": ("importance", "criticality", "重要程度", "重要性"),
    "port": ("port", "sshport", "端口", "ssh端口"),
    "credentials": ("credentials", "credential", "凭据", "凭证"),
    "groups": ("groups", "group", "分组"),
    "redundancy_group": ("redundancygroup", "冗余组"),
    "snmp_context": ("snmpcontext",), "ssh_legacy": ("sshlegacy",),
    IGNORE: ("序号", "编号", "no", "#", "model", "型号", "设备型号", "serial", "序列号", "location", "位置", "机房", "机柜", "notes", "备注",
             "owner", "责任人", "用途", "资产编号", "description", "描述"),
}
_SECRET = re.compile(r"pass|pwd|secret|token|community|密码|口令|团体", re.I)
VENDORS = (("huawei_vrp", ("huawei", "华为", "vrp")), ("hp_comware", ("h3c", "华三", "新华三", "comware", "hpe")),
           ("cisco_ios", ("cisco", "思科")),
           ("linux", ("linux", "centos", "ubuntu", "debian", "red hat", "redhat", "rhel", "suse", "麒麟", "kylin",
                      "统信", "uos", "openeuler", "欧拉", "rocky", "alma")))
ROLE_WORDS = (("core", ("核心",)), ("aggregation", ("汇聚",)), ("access", ("接入",)), ("border", ("边界", "出口")),
              ("utm", ("utm", "下一代防火墙", "统一威胁")), ("firewall", ("防火墙",)), ("router", ("路由",)), ("server", ("服务器", "主机")),
              ("bastion", ("堡垒",)), ("log_audit", ("日志", "审计")), ("ips", ("入侵防御",)), ("ids", ("入侵检测",)),
              ("wireless_controller", ("无线",)), ("load_balancer", ("负载均衡",)),
              ("anti_malware", ("防病毒", "防毒")), ("security_appliance", ("安全",)), ("other", ("其他", "交换机")))
IMPORTANCE = {"high": ("high", "critical", "高", "重要", "关键", "核心"), "medium": ("medium", "中", "一般"),
              "low": ("low", "低", "次要")}


def _key(header: str) -> str:
    return re.sub(r"[\s_\-（）()]", "", header).lower()


def column_map(text: str) -> dict[str, str]:
    """`主机=name, 地址=address, 序列号=-` -> {key: field}; ValueError naming the bad part."""
    out = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;，；]", text))):
        header, sep, target = part.partition("=")
        target = target.strip()
        if not sep or not header.strip() or (target not in HEADERS and target != IGNORE):
            raise ValueError(f"'{part}': give HEADER=FIELD with FIELD one of {', '.join(HEADERS)}")
        out[_key(header)] = target
    return out


def map_header(path, line: int, header: Sequence[str], extra: dict[str, str]) -> list[str]:
    """The field each column holds ('-' for ignored); InventoryError for a secret, unknown or repeated column."""
    known = {_key(a): f for f, aliases in HEADERS.items() for a in aliases} | extra
    fields = []
    for i, h in enumerate(header):
        h = (h or "").strip()
        if h and _SECRET.search(h) and known.get(_key(h)) != IGNORE:
            raise InventoryError(path, line, h, "credentials are never read from an asset list: name a credential "
                                 "in the 凭据/credentials column and define it under credentials: (references only)")
        f = known.get(_key(h)) if h else IGNORE
        if f is None:
            raise InventoryError(path, line, h or f"column {i + 1}", "unknown column (add it to the header map "
                                 "with a first line '#mlps-columns: HEADER=FIELD' or HEADER=- to ignore it)")
        if f != IGNORE and f in fields:
            raise InventoryError(path, line, h, "column given twice")
        fields.append(f)
    if "name" not in fields or "address" not in fields:
        raise InventoryError(path, line, None, "the header needs at least a name (设备名称) and an address (管理IP) "
                             "column")
    return fields


def find_header(rows: list[tuple[int, list[str]]], extra: dict[str, str]) -> int:
    """Index of the header among the first rows: spreadsheets often start with a title row (XX单位资产清单)."""
    known = {_key(a) for aliases in HEADERS.values() for a in aliases} | set(extra)
    for i, (_, cells) in enumerate(rows[:10]):
        keys = {_key(c) for c in cells if c}
        if len(keys & known) >= 2:
            return i
    return 0


def build(path, rows: Iterable[tuple[int, list[str]]], extra: dict[str, str], unit: str = "line") -> Imported:
    rows = list(rows)
    if not rows:
        raise InventoryError(path, 1, None, "empty: no header and no assets")
    h = find_header(rows, extra)
    skipped = [Skipped(str(path), f"{unit} {n}", None, "above the header (a title row)") for n, c in rows[:h]
               if any(c)]
    header_line, header = rows[h]
    fields = map_header(path, header_line, header, extra)
    assets = []
    for n, cells in rows[h + 1:]:
        if len(cells) > len(fields) and any(cells[len(fields):]):
            raise InventoryError(path, n, f"column {len(fields) + 1}", f"this row has {len(cells)} cells, the "
                                 f"header {len(fields)}")
        values = {f: v.strip() for f, v in zip(fields, cells) if f != IGNORE and v and v.strip()}
        if not values:
            continue            # a blank row between blocks
        asset = _asset(path, n, unit, values, skipped)
        if asset is not None:
            assets.append(asset)
    if not assets:
        raise InventoryError(path, header_line + 1, None, "no assets")
    names = [a.name for a in assets]
    dup = next((x for x in names if names.count(x) > 1), None)
    if dup:
        raise InventoryError(path, None, "name", f"duplicate asset name '{dup}'")
    return Imported(Inventory(source=str(path), assets=assets), skipped)


def _asset(path, n: int, unit: str, values: dict, skipped: list) -> InventoryAsset | None:
    vendor = values.pop("vendor", None)
    if "platform" not in values and vendor:
        plat = _lookup(vendor, VENDORS)
        if plat is None:
            skipped.append(Skipped(str(path), f"{unit} {n}", "vendor", f"'{vendor}' is not a vendor mlps scans "
                                   "(Huawei/华为, H3C/华三, Cisco/思科, Linux)"))
            return None
        values["platform"] = plat
    if "platform" in values and values["platform"].lower() not in ("auto", "linux") \
            and platforms.canonical(values["platform"]) is None:
        values["platform"] = _lookup(values["platform"], VENDORS) or values["platform"]    # "Ubuntu 22.04"
    if "role" in values and values["role"] not in ROLES:
        values["role"] = _lookup(values["role"], ROLE_WORDS) or values["role"]
    if "importance" in values:
        values["importance"] = next((k for k, words in IMPORTANCE.items() if values["importance"].lower() in words),
                                    values["importance"])
    if "port" in values and re.fullmatch(r"\d+\.0", values["port"]):
        values["port"] = values["port"][:-2]           # a spreadsheet's number
    if "groups" in values:
        values["groups"] = tuple(g for g in re.split(r"[;；]", values["groups"]) if g)
    try:
        return InventoryAsset(**values)
    except ValidationError as e:
        err = e.errors()[0]
        raise InventoryError(path, n, ".".join(map(str, err["loc"])), _msg(err)) from None


def _lookup(text: str, table) -> str | None:
    low = text.lower()
    return next((key for key, words in table if any(w in low for w in words)), None)
