"""NetBox and Nautobot: a device list exported as CSV, or the live REST API through pynetbox / pynautobot (the
`netbox` extra) with a token given as a reference ({env: VAR} or {file: PATH}, never the token itself).

Mapping: site (Nautobot: location) -> zone, role -> role, platform (slug, name or Nautobot's network_driver), else
manufacturer -> platform, a tag naming an importance -> importance, primary IP -> address (prefix length dropped).
A device with no primary IP, a platform mlps does not scan, a status other than active, or a name or address
that does not validate is skipped with why.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scanner.importers import Imported, Skipped
from scanner.importers.csv_import import decode
from scanner.importers.tabular import ROLE_WORDS, VENDORS, _lookup
from scanner.inventory import ROLES, Inventory, InventoryAsset, InventoryError, _msg

PLATFORMS = {"huawei_vrp": ("huawei", "vrp", "ce"), "hp_comware": ("comware", "h3c"),
             "cisco_ios": ("cisco_ios", "cisco-ios", "ios", "ios-xe", "iosxe", "cisco_xe", "cisco-ios-xe"),
             "linux": ("linux", "ubuntu", "debian", "centos", "rhel", "redhat", "rocky", "alma", "kylin", "openeuler")}
NOT_SCANNED = ("nxos", "nx-os", "iosxr", "ios-xr", "asa", "junos", "eos", "fortios", "panos", "windows", "vyos")
IMPORTANCE_TAGS = {"high": ("importance-high", "importance:high", "mlps-high", "critical", "high", "重要"),
                   "low": ("importance-low", "importance:low", "mlps-low", "low"),
                   "medium": ("importance-medium", "importance:medium", "mlps-medium", "medium")}
# export column (lower-cased, spaces as '_') -> the API field it holds
_COLUMNS = {"device_role": "role", "role": "role", "type": "device_type", "device_type": "device_type",
            "ip_address": "primary_ip", "primary_ip": "primary_ip", "primary_ipv4": "primary_ip4",
            "primary_ip4": "primary_ip4", "primary_ipv6": "primary_ip6", "primary_ip6": "primary_ip6",
            "location__name": "location", "role__name": "role", "status__name": "status",
            "platform__name": "platform", "platform__network_driver": "network_driver",
            "device_type__manufacturer__name": "manufacturer", "primary_ip4__host": "primary_ip4",
            "primary_ip6__host": "primary_ip6", "tenant__name": "tenant", "site__name": "site"}


def sniff_csv_export(path: Path) -> str | None:
    """'netbox-csv' / 'nautobot-csv' when the header is a NetBox or Nautobot device export, else None."""
    try:
        head = path.open("rb").readline(4096).decode("utf-8-sig", "replace").lower()
    except OSError:
        return None
    cols = {c.strip().replace(" ", "_") for c in head.split(",")}
    if "name" in cols and cols & {"location__name", "role__name", "primary_ip4__host", "natural_slug"}:
        return "nautobot-csv"
    if {"name", "status", "site"} <= cols and cols & {"role", "device_role", "ip_address", "primary_ip",
                                                       "primary_ipv4", "type", "device_type"}:
        return "netbox-csv"
    return None


def load_export(path: Path, kind: str) -> Imported:
    text, _ = decode(path)
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "name" not in {f.strip().lower() for f in reader.fieldnames}:
        raise InventoryError(path, 1, None, f"not a {kind} device export: no Name column")
    assets, skipped = [], []
    for row in reader:
        record = {_COLUMNS.get(k.strip().lower().replace(" ", "_"), k.strip().lower().replace(" ", "_")): v
                  for k, v in row.items() if k is not None}
        _add(record, str(path), f"line {reader.line_num}", assets, skipped)
    return _result(path, assets, skipped, {})


def device_record(device: dict) -> dict:
    """The API's nested device (NetBox or Nautobot) flattened to the export's fields."""
    def name(v: Any, *keys: str) -> str:
        if isinstance(v, dict):
            return next((str(v[k]) for k in (*keys, "slug", "name", "display", "value") if v.get(k)), "")
        return "" if v is None else str(v)
    dtype = device.get("device_type") or {}
    platform = device.get("platform") or {}
    return {"name": device.get("name") or "", "status": name(device.get("status"), "value"),
            "site": name(device.get("site"), "name"), "location": name(device.get("location"), "name"),
            "role": name(device.get("role") or device.get("device_role"), "name"),
            "platform": name(platform, "slug"), "network_driver": name(platform, "network_driver"),
            "manufacturer": name(dtype.get("manufacturer") if isinstance(dtype, dict) else None),
            "primary_ip": name(device.get("primary_ip") or device.get("primary_ip4"), "address"),
            "tags": ",".join(name(t) for t in device.get("tags") or [])}


def _add(rec: dict, file: str, where: str, assets: list, skipped: list) -> None:
    def skip(field: str | None, reason: str) -> None:
        skipped.append(Skipped(file, where + (f" ({rec.get('name')})" if rec.get("name") else ""), field, reason))
    status = (rec.get("status") or "active").strip().lower()
    if status not in ("active", "在用"):
        return skip("status", f"status '{status}': only active devices are scanned")
    ip = (rec.get("primary_ip") or rec.get("primary_ip4") or rec.get("primary_ip6") or "").strip()
    if not ip:
        return skip("primary_ip", "no primary IP: nothing to connect to")
    platform = _platform(rec)
    if platform is None:
        return skip("platform", f"platform '{rec.get('platform') or rec.get('manufacturer') or ''}' is not one "
                    "mlps scans (huawei_vrp, hp_comware, cisco_ios, linux)")
    try:
        tagged = _importance(rec.get("tags"))          # untagged: the source's default, else medium
        assets.append(InventoryAsset(name=(rec.get("name") or "").strip(), address=ip.split("/")[0],
                                     platform=platform, zone=(rec.get("site") or rec.get("location") or None),
                                     role=_role(rec.get("role") or ""), **({"importance": tagged} if tagged else {})))
    except ValidationError as e:
        err = e.errors()[0]
        skip(str(err["loc"][0]) if err["loc"] else None, _msg(err))


def _platform(rec: dict) -> str | None:
    for value in (rec.get("network_driver"), rec.get("platform")):
        v = (value or "").strip().lower()
        if v:
            if any(x in v for x in NOT_SCANNED):
                return None
            hit = next((p for p, words in PLATFORMS.items() if v in words or any(w in v for w in words if len(w) > 3)),
                       None)
            return hit
    return _lookup(rec.get("manufacturer") or "", VENDORS) if rec.get("manufacturer") else None


def _role(text: str) -> str:
    low = text.strip().lower().replace(" ", "_").replace("-", "_")
    if low in ROLES:
        return low
    for role in ROLES:
        if role.split("_")[0] in low:
            return role
    return _lookup(text, ROLE_WORDS) or "other"


def _importance(tags: Any) -> str | None:
    names = {t.strip().lower() for t in re.split(r"[,;]", tags or "") if t.strip()}
    return next((k for k, words in IMPORTANCE_TAGS.items() if names & set(words)), None)


def _result(path, assets: list, skipped: list, credentials: dict, defaults: dict | None = None) -> Imported:
    if not assets:
        raise InventoryError(path, None, None, f"no device mlps can scan ({len(skipped)} skipped"
                             + (f"; first: {skipped[0]}" if skipped else "") + ")")
    if defaults:
        try:            # validated again: a default is user input like any other field
            assets = [InventoryAsset(**(a.model_dump() | {k: v for k, v in defaults.items()
                                                          if k not in a.model_fields_set or getattr(a, k) in
                                                          (None, "other")})) for a in assets]
        except ValidationError as e:
            err = e.errors()[0]
            raise InventoryError(path, None, f"defaults.{err['loc'][0]}", _msg(err)) from None
    names = [a.name for a in assets]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise InventoryError(path, None, "name", f"duplicate device name '{dup}'")
    return Imported(Inventory(source=str(path), assets=assets, credentials=credentials), skipped)
