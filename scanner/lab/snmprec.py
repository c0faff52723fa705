"""SNMP data (snmpsim .snmprec) for a simulated device, derived from its captured outputs, so SNMP answers agree
with the configuration the device serves over SSH: names, shut-down ports, model and release."""
from __future__ import annotations

import zlib

from scanner import platforms
from scanner.transport.replay import Capture

ENTERPRISE = {"huawei_vrp": "1.3.6.1.4.1.2011.2.23.467", "hp_comware": "1.3.6.1.4.1.25506.1.1149",
              "cisco_ios": "1.3.6.1.4.1.9.1.2494"}


def _str(v: str) -> str:
    if any(c in v for c in "|\r\n") or not v.isascii():
        return "4x|" + v.encode("utf-8").hex()
    return "4|" + v


def snmprec(cap: Capture) -> str:
    plat = platforms.get(cap.platform)
    dev = plat.parse_config(cap.outputs.get("config", "").split("\n"),
                            cap.outputs["version"].split("\n") if cap.outputs.get("version") else None)
    rows: list[tuple[str, str]] = [
        ("1.3.6.1.2.1.1.1.0", _str("\r\n".join(cap.outputs.get("version", "").strip().splitlines()[:2]))),
        ("1.3.6.1.2.1.1.2.0", "6|" + ENTERPRISE[cap.platform]),
        ("1.3.6.1.2.1.1.3.0", "67|123456789"),
        ("1.3.6.1.2.1.1.5.0", _str(dev.hostname or cap.name)),
        ("1.3.6.1.2.1.47.1.1.1.1.5.1", "2|3"),
        ("1.3.6.1.2.1.47.1.1.1.1.10.1", _str(dev.software_version or "")),
        ("1.3.6.1.2.1.47.1.1.1.1.11.1", _str(f"SIM{zlib.crc32(cap.name.encode()):010d}")),
        ("1.3.6.1.2.1.47.1.1.1.1.13.1", _str(dev.model or "")),
    ]
    for i, itf in enumerate(dev.interfaces, 1):
        up = not itf.shutdown
        connected = up and (itf.description is not None or itf.has_address or not itf.physical)
        rows += [(f"1.3.6.1.2.1.2.2.1.2.{i}", _str(itf.name)),
                 (f"1.3.6.1.2.1.2.2.1.3.{i}", "2|" + ("6" if itf.physical else "53")),
                 (f"1.3.6.1.2.1.2.2.1.7.{i}", "2|" + ("1" if up else "2")),
                 (f"1.3.6.1.2.1.2.2.1.8.{i}", "2|" + ("1" if connected else "2"))]
    rows.sort(key=lambda r: tuple(int(x) for x in r[0].split(".")))
    return "".join(f"{oid}|{val}\n" for oid, val in rows)
