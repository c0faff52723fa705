"""Finding checks: every Check and FleetCheck declared (with `@check` / `@fleet_check`) in a module of the `checks`
package, plus those other packages publish in the entry-point group `mlps_scanner.checks` (each entry point loads a
check, a list of checks, or a module that declares them).

Every check's metadata is validated here against the data it names (scanner/checkdata.py). A broken built-in
check module or data file raises BrokenChecks: the scan must not start with part of its checks silently missing.
A broken plug-in is reported (PluginStatus, in scan.json and on the console) and its checks are left out.
"""
from __future__ import annotations

import importlib
import pkgutil
import traceback
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType

from scanner.checkdata import Reference, check_problems, data_problems, load_reference, shown
from scanner.checkkit import Check, FleetCheck
from scanner.model import PluginStatus

ENTRY_POINT_GROUP = "mlps_scanner.checks"
AnyCheck = Check | FleetCheck


class BrokenChecks(Exception):
    """A built-in check module or data file is broken; the message names each file and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("the scanner's own checks are broken, no scan can be trusted:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(slots=True)
class CheckSet:
    checks: list[Check]
    fleet_checks: list[FleetCheck] = field(default_factory=list)
    plugins: list[PluginStatus] = field(default_factory=list)     # one per entry point, ok or error


def _declared(mod: ModuleType) -> list[AnyCheck]:
    """The checks bound to a module's names, in the order they are written."""
    return [v for v in vars(mod).values() if isinstance(v, (Check, FleetCheck))]


def _import_problem(name: str, path: str, e: BaseException) -> str:
    if isinstance(e, SyntaxError) and e.filename:
        return f"{shown(Path(e.filename))} line {e.lineno}: SyntaxError: {e.msg}"
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == path]
    where = f" line {frames[-1].lineno}" if frames else ""
    return f"{shown(Path(path))}{where}: cannot import {name}: {type(e).__name__}: {e}"


def _where(c: AnyCheck, module: ModuleType) -> str:
    code = getattr(c.evaluate, "__code__", None)        # its first line is the decorator's
    if code is None:
        return shown(Path(module.__file__ or module.__name__))
    return f"{shown(Path(code.co_filename))} line {code.co_firstlineno}"


def _import_all(package: str) -> tuple[list[ModuleType], list[str]]:
    modules: list[ModuleType] = []
    problems: list[str] = []
    pkg = importlib.import_module(package)
    for info in sorted(pkgutil.walk_packages(pkg.__path__, prefix=package + "."), key=lambda i: i.name):
        spec = info.module_finder.find_spec(info.name.rpartition(".")[2], None)
        try:
            modules.append(importlib.import_module(info.name))
        except (Exception, SystemExit) as e:    # a broken built-in module stops the scan, never drops its checks
            problems.append(_import_problem(info.name, spec.origin if spec and spec.origin else info.name, e))
    return modules, problems


def _builtin(package: str, ref: Reference) -> tuple[list[tuple[str, AnyCheck]], list[str]]:
    """(file and line, check) of every built-in check, and the problems found."""
    modules, problems = _import_all(package)
    home: dict[int, str] = {}       # a check imported into another module belongs where its function is written
    for mod in modules:
        for c in _declared(mod):
            if id(c) not in home or getattr(c.evaluate, "__module__", None) == mod.__name__:
                home[id(c)] = mod.__name__
    found: list[tuple[str, AnyCheck]] = []
    for mod in modules:
        for c in _declared(mod):
            if home.get(id(c)) == mod.__name__ and all(c is not f for _, f in found):
                problems.extend(f"{_where(c, mod)}: {p}" for p in check_problems(c, ref))
                found.append((_where(c, mod), c))
    return found, problems


def _duplicates(found: list[tuple[str, AnyCheck]]) -> list[str]:
    first: dict[str, str] = {}
    problems = []
    for where, c in found:
        if c.id in first:
            problems.append(f"duplicate check id {c.id}: {first[c.id]} and {where}")
        first.setdefault(c.id, where)
    return problems


def _plugin_checks(obj) -> list[AnyCheck]:
    items = _declared(obj) if isinstance(obj, ModuleType) else obj if isinstance(obj, (list, tuple)) else [obj]
    bad = [x for x in items if not isinstance(x, (Check, FleetCheck))]
    if bad or not items:
        what = f"a {type(bad[0]).__name__}" if bad else f"module {obj.__name__} without checks" \
            if isinstance(obj, ModuleType) else "no check"
        raise TypeError(f"loads {what}, not a Check or FleetCheck (declare checks with @check / @fleet_check)")
    return list(items)


def _plugin(ep: EntryPoint, ref: Reference, taken: set[str]) -> tuple[PluginStatus, list[AnyCheck]]:
    dist = getattr(ep, "dist", None)
    status = PluginStatus(name=ep.name, distribution=dist.name if dist else "", version=dist.version if dist else "",
                          status="ok")
    try:
        checks = _plugin_checks(ep.load())
    except (Exception, SystemExit) as e:     # a broken plug-in costs its own checks, reported, never the scan
        return status.model_copy(update={"status": "error", "message": f"{type(e).__name__}: {e}"}), []
    problems = [p for c in checks for p in check_problems(c, ref)]
    ids = [c.id for c in checks]
    problems += [f"check id {i} is taken" for i in dict.fromkeys(ids) if i in taken or ids.count(i) > 1]
    if problems:
        return status.model_copy(update={"status": "error", "message": "; ".join(problems)}), []
    return status.model_copy(update={"checks": ids}), checks


def discover(package: str = "checks", use_entry_points: bool = True) -> CheckSet:
    ref = load_reference()
    found, problems = _builtin(package, ref)
    problems = ref.problems + problems + _duplicates(found)
    checks = [c for _, c in found]
    if not problems:            # fix commands and features of checks that failed to load would only repeat it
        problems = data_problems([(w, c) for w, c in found if isinstance(c, Check)], ref)
    if problems:
        raise BrokenChecks(problems)
    result = CheckSet([])
    if use_entry_points:
        taken = {c.id for c in checks}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            status, more = _plugin(ep, ref, taken)
            result.plugins.append(status)
            taken.update(c.id for c in more)
            checks += more
    result.checks = [c for c in checks if isinstance(c, Check)]
    result.fleet_checks = [c for c in checks if isinstance(c, FleetCheck)]
    return result
