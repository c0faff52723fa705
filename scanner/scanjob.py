"""One scan from request to result, behind `mlps scan` and `mlps demo` (the CLI parses arguments and prints).

`plan_scan(request)` checks everything the operator gave (options, policy, waivers, inventory, the output folder)
before any device is contacted and raises `ScanInputError` naming what is wrong; `ScanPlan.run(processors)` then
assesses saved configurations, saved raw captures or, through a runner, live devices.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scanner import platforms
from scanner.engine import ScanContext
from scanner.errors import InputFileError, ReasonCode
from scanner.inventory import Inventory
from scanner.live import LiveOptions
from scanner.model import ScanResult
from scanner.runner import Processor


class ScanInputError(Exception):
    """Bad input from the operator: the message names the option or the file (the CLI exits 2)."""


@dataclass(slots=True)
class ScanRequest:
    live: LiveOptions                  # built once by the CLI; used when `paths` is an inventory
    paths: list[Path] = field(default_factory=list)
    configs: bool = False              # paths are saved configurations
    raw: Path | None = None            # saved raw captures instead
    require_manifest: bool = False
    platform: str | None = None        # of every saved configuration; None = detect
    out_dir: Path = Path("mlps-out")
    policy: Path | None = None
    waivers: Path | None = None
    system: Path | None = None         # the system assessed, for the report's cover (scanner/system.py)
    lang: str = "zh"
    formats: str = "json,html"
    max_config_mb: int = 32


@dataclass(slots=True)
class ScanOutcome:
    result: ScanResult
    interrupted: bool = False          # Ctrl-C: the devices collected so far are in the result
    unverified: int = 0                # raw captures assessed without a manifest


@dataclass(slots=True)
class ScanPlan:
    request: ScanRequest
    ctx: ScanContext
    formats: list[str]                 # json first
    platform: str | None = None
    inventory: Inventory | None = None     # a live scan's
    system: object | None = None           # scanner.system.SystemInfo from --system, put on the result

    def run(self, processors: Sequence[Processor] = (), stop: threading.Event | None = None) -> ScanOutcome:
        done = self._run(processors, stop)
        done.result.system = self.system
        return done

    def _run(self, processors: Sequence[Processor], stop: threading.Event | None) -> ScanOutcome:
        req = self.request
        if self.inventory is not None:
            from scanner.live import scan_inventory
            result = scan_inventory(self.inventory, self.ctx, req.live, processors, stop)
            return ScanOutcome(result, interrupted=any(a.reason_code == ReasonCode.INTERRUPTED
                                                       for a in result.assets))
        if req.raw is not None:
            from scanner.live import scan_raw
            result = scan_raw(req.raw, self.ctx, req.require_manifest)
            return ScanOutcome(result, unverified=sum(a.capture is not None and a.capture.integrity == "unverified"
                                                      for a in result.assets))
        from scanner.engine import scan_configs
        return ScanOutcome(scan_configs(req.paths, self.ctx, self.platform))


def plan_scan(request: ScanRequest) -> ScanPlan:
    """Check the request, build the scan context (a broken built-in check raises registry.BrokenChecks) and, for
    a live scan, load the inventory; the output folder is created last."""
    req = request
    if sum([req.configs, req.raw is not None, bool(req.paths) and not req.configs]) != 1:
        raise ScanInputError("give one of: an INVENTORY file, --configs PATH..., or --raw DIR")
    if req.require_manifest and req.raw is None:
        raise ScanInputError("--require-manifest goes with --raw DIR")
    formats, plat = _formats(req.formats, req.lang), _platform(req.platform)
    plan = ScanPlan(req, _context(req), formats, plat, system=_system(req.system))
    if req.configs:
        _check_configs(req.paths)
    elif req.raw is not None:
        from scanner.transport.replay import capture_dirs
        if not req.raw.is_dir() or not capture_dirs(req.raw):
            raise ScanInputError(f"--raw {req.raw}: no raw capture folders (device.yaml) found")
        from scanner.live import load_topology
        try:
            load_topology(req.raw)          # the saved zones and boundaries, if any, must be readable
        except InputFileError as e:
            raise ScanInputError(str(e)) from None
    else:
        plan.inventory = _inventory(req.paths)
    prepare_out(req.out_dir)
    return plan


def _formats(fmt: str, lang: str) -> list[str]:
    from reports import parse_formats
    if lang not in ("zh", "en"):
        raise ScanInputError("--lang: use zh or en")
    try:
        formats = parse_formats(fmt)
    except ValueError as e:
        raise ScanInputError(f"--format: {e}") from None
    return ["json", *[f for f in formats if f != "json"]]


def _platform(name: str | None) -> str | None:
    if not name:
        return None
    plat = platforms.canonical(name)
    if plat is None:
        raise ScanInputError(f"--platform: unknown platform '{name}' (one of: {', '.join(platforms.names())})")
    return plat


def _system(path: Path | None):
    from scanner.system import load_system
    try:
        return load_system(path)
    except InputFileError as e:
        raise ScanInputError(str(e)) from None


def _context(req: ScanRequest) -> ScanContext:
    from scanner.policy import load_policy
    try:
        ctx = ScanContext.default(load_policy(req.policy), max_bytes=req.max_config_mb * 1024 * 1024)
        if req.waivers is not None:
            from scanner.waivers import load_waivers
            ctx.waivers = load_waivers(req.waivers)
    except InputFileError as e:
        raise ScanInputError(str(e)) from None
    return ctx


def _check_configs(paths: list[Path]) -> None:
    from scanner.engine import collect_config_files
    if not paths:
        raise ScanInputError("--configs needs at least one file or folder")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ScanInputError("no such file or folder: " + ", ".join(missing))
    if not collect_config_files(paths):
        raise ScanInputError("no files found in: " + ", ".join(map(str, paths)))


def _inventory(paths: list[Path]) -> Inventory:
    from scanner.inventory import load_inventory
    if len(paths) != 1:
        raise ScanInputError("give one inventory file (or use --configs for saved configurations)")
    if paths[0].is_dir():
        raise ScanInputError(f"{paths[0]} is a folder: use --configs for saved configurations or --raw for "
                             "raw captures; a live scan takes an inventory file")
    try:
        return load_inventory(paths[0])
    except InputFileError as e:
        raise ScanInputError(str(e)) from None


def prepare_out(out_dir: Path) -> None:
    from scanner.safeio import private_dir
    try:
        private_dir(out_dir)
    except OSError as e:
        raise ScanInputError(f"--out {out_dir}: {e.strerror}") from None


def default_known_hosts() -> Path:
    return Path.home() / ".config" / "mlps-scanner" / "known_hosts"
