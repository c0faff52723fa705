"""Security zones of an inventory (`zones:`) and what each is exposed to.

The exposure of an asset (its own `exposure:`, or its zone's) is a trigger condition of several T/ISEAA 001-2020
high-risk cases (scanner/highrisk.py): remote management or a service reachable from the internet or another
uncontrolled network. Zone-aware collection (collectors per zone) builds on this module.
"""
from __future__ import annotations

from pathlib import Path

EXPOSURES = ("internet", "untrusted", "internal", "management")
UNCONTROLLED = ("internet", "untrusted")


def zone_exposures(path: Path, root, zones, error) -> dict[str, str]:
    """`zones: {NAME: {exposure: internet|untrusted|internal|management}}` -> zone name -> exposure. `error` is the
    loader's error class (file, line, field, message); `root` the YAML node tree for line numbers."""
    from scanner.inventory import _line_of
    if not isinstance(zones, dict):
        raise error(path, _line_of(root, ("zones",)), "zones", "must be a mapping of zone name -> settings")
    out = {}
    for name, z in zones.items():
        where = _line_of(root, ("zones", name))
        if not isinstance(z, dict) or set(z) - {"exposure"}:
            raise error(path, where, f"zones.{name}", "a zone is a mapping with `exposure`")
        if z.get("exposure") not in EXPOSURES:
            raise error(path, where, f"zones.{name}.exposure", "must be one of " + ", ".join(EXPOSURES))
        out[str(name)] = z["exposure"]
    return out
