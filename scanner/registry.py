"""Finding checks: every module under the `checks` package that defines CHECK (or CHECKS), plus checks other
packages publish in the entry-point group `mlps_scanner.checks` (each entry point loads a Check or a list)."""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from scanner.checkkit import Check

ENTRY_POINT_GROUP = "mlps_scanner.checks"


@dataclass(slots=True)
class CheckSet:
    checks: list[Check]
    load_errors: list[str] = field(default_factory=list)   # "<origin>: <error>", shown by the CLI

    def by_id(self) -> dict[str, Check]:
        return {c.id: c for c in self.checks}


def _from_module(mod) -> list[Check]:
    found: list[Check] = []
    single = getattr(mod, "CHECK", None)
    if isinstance(single, Check):
        found.append(single)
    for c in getattr(mod, "CHECKS", ()) or ():
        if isinstance(c, Check):
            found.append(c)
    return found


def discover(package: str = "checks", use_entry_points: bool = True) -> CheckSet:
    result = CheckSet([])
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.walk_packages(pkg.__path__, prefix=package + "."), key=lambda i: i.name):
        try:
            mod = importlib.import_module(info.name)
        except Exception as e:  # a broken plug-in module must not stop the scan
            result.load_errors.append(f"{info.name}: {type(e).__name__}: {e}")
            continue
        result.checks.extend(_from_module(mod))
    if use_entry_points:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                obj = ep.load()
            except Exception as e:
                result.load_errors.append(f"entry point {ep.name}: {type(e).__name__}: {e}")
                continue
            items: Iterable = obj if isinstance(obj, (list, tuple)) else [obj]
            result.checks.extend(c for c in items if isinstance(c, Check))
    seen: dict[str, Check] = {}
    for c in result.checks:
        if c.id in seen:
            result.load_errors.append(f"duplicate check id {c.id}: the later definition is ignored")
            continue
        seen[c.id] = c
    result.checks = list(seen.values())
    return result
