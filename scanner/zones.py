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


def zone_jumps(zones) -> dict[str, list]:
    """Zone name -> its `jump:` chain as written (validated with each asset that inherits it)."""
    return {str(n): z["jump"] for n, z in (zones or {}).items() if isinstance(z, dict) and z.get("jump") is not None}
