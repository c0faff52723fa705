"""Security zones of an inventory (`zones:`) and what each is exposed to.

The exposure of an asset (its own `exposure:`, or its zone's) is a trigger condition of several T/ISEAA 001-2020
high-risk cases (scanner/highrisk.py): remote management or a service reachable from the internet or another
uncontrolled network. The zone also routes collection: its collectors' queue (scanner/distributed.py) and the
jump hosts its devices are reached through (`jump:`).
"""
from __future__ import annotations

from pathlib import Path

EXPOSURES = ("internet", "untrusted", "internal", "management")
UNCONTROLLED = ("internet", "untrusted")


def zone_exposures(path: Path, root, zones, error) -> dict[str, str]:
    """`zones: {NAME: {exposure: internet|untrusted|internal|management, jump: [...]}}` -> zone name -> exposure.
    `error` is the loader's error class (file, line, field, message); `root` the YAML node tree for line numbers.
    A zone's `jump` (the bastion chain its devices are reached through) is read by `zone_jumps`."""
    from scanner.inventory import _line_of
    if not isinstance(zones, dict):
        raise error(path, _line_of(root, ("zones",)), "zones", "must be a mapping of zone name -> settings")
    out = {}
    for name, z in zones.items():
        where = _line_of(root, ("zones", name))
        if not isinstance(z, dict) or set(z) - {"exposure", "jump"}:
            raise error(path, where, f"zones.{name}", "a zone is a mapping with `exposure` (and optionally `jump`)")
        if z.get("exposure") not in EXPOSURES:
            raise error(path, where, f"zones.{name}.exposure", "must be one of " + ", ".join(EXPOSURES))
        out[str(name)] = z["exposure"]
    return out


# From the least to the most trusted: a boundary is as exposed as its less trusted side.
TRUST = {"internet": 0, "untrusted": 1, "internal": 2, "management": 3}


def zone_boundaries(path: Path, root, raw, zones: dict[str, str], assets: set[str], error) -> list:
    """`boundaries: [{name?, between: [ZONE, ZONE], devices: [ASSET...]}]` -> `Boundary` list; every zone declared
    under `zones:` and every device an asset of the inventory (errors name file, line and field)."""
    from scanner.inventory import _line_of
    from scanner.model import Boundary
    from scanner.addresses import printable_name
    if not isinstance(raw, list):
        raise error(path, _line_of(root, ("boundaries",)), "boundaries",
                    "must be a list of boundaries (between: [ZONE, ZONE], devices: [ASSET, ...])")
    out, seen = [], set()
    for i, b in enumerate(raw):
        field, at = f"boundaries[{i}]", lambda *k: _line_of(root, ("boundaries", i, *k))
        if not isinstance(b, dict) or set(b) - {"name", "between", "devices"}:
            raise error(path, at(), field, "a boundary is a mapping with `between`, `devices` and an optional `name`")
        between, devices = b.get("between"), b.get("devices", [])
        if not (isinstance(between, list) and len(between) == 2 and all(isinstance(z, str) for z in between)
                and between[0] != between[1]):
            raise error(path, at("between"), f"{field}.between", "must name two different zones")
        unknown = next((z for z in between if z not in zones), None)
        if unknown is not None:
            raise error(path, at("between"), f"{field}.between", f"unknown zone '{unknown}' (declare it under zones:)")
        if not isinstance(devices, list) or not all(isinstance(d, str) for d in devices):
            raise error(path, at("devices"), f"{field}.devices", "must be a list of asset names")
        stray = next((d for d in devices if d not in assets), None)
        if stray is not None:
            raise error(path, at("devices"), f"{field}.devices", f"no asset named '{stray}'")
        name = b.get("name") or "|".join(between)
        try:
            if not isinstance(name, str):
                raise ValueError("must be text")
            printable_name(name)
        except ValueError as e:
            raise error(path, at("name"), f"{field}.name", str(e)) from None
        if name in seen:
            raise error(path, at("name"), f"{field}.name", f"duplicate boundary name '{name}'")
        seen.add(name)
        exposure = min((zones[z] for z in between), key=TRUST.__getitem__)
        out.append(Boundary(name=name, between=list(between), exposure=exposure, devices=list(dict.fromkeys(devices))))
    return out


def zone_jumps(zones) -> dict[str, list]:
    """Zone name -> its `jump:` chain as written (validated with each asset that inherits it)."""
    return {str(n): z["jump"] for n, z in (zones or {}).items() if isinstance(z, dict) and z.get("jump") is not None}
