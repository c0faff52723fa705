"""Live scans: inventory -> collect each device once (bounded worker pool) -> the same assessment as saved outputs.

A device that cannot be collected is reported `error` (not assessed) with a reason code; the scan goes on.
With `save_raw`, every output used is written (secrets replaced by markers) so `--raw` reproduces the verdicts.
"""
from __future__ import annotations

import dataclasses

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from scanner import platforms
from scanner.engine import ScanContext, assess_documents, build_result, error_asset
from scanner.errors import ReasonCode
from scanner.highrisk import judge_asset
from scanner.inventory import InventoryAsset as InvAsset, Inventory
from scanner.secretrefs import SecretError, check_key_file, resolve_secret
from scanner.model import Asset, ScanResult, Topology
from scanner.secrets import redact_lines
from scanner.transport.replay import (CONTEXT_KEYS, Capture, Collector, capture_dirs, read_capture, RawFormatError,
                                      write_capture)
from scanner.textio import dump_yaml
from scanner.runner import AssetEvent, Collected, Emit, Failed, Outcome, Processor, Runner, runner_for

if TYPE_CHECKING:
    from scanner.transport.ssh import KnownHosts


@dataclass(slots=True)
class LiveOptions:
    known_hosts: Path
    trust_new_hosts: bool = False
    workers: int = 64
    save_raw: Path | None = None
    connect_timeout: float = 10.0
    command_timeout: float = 120.0
    retries: int = 1
    portscan: bool = False
    processes: int = 0           # assessment processes after collection; 0 = one per CPU for 32+ devices, 1 = none
    collectors: int = 0          # collecting processes; 0 = one per CPU from 100 devices, 1 = threads only
    max_output: int = 64 * 1024 * 1024   # bytes per command output; beyond it the device is output_too_large
    broker: str | None = None    # zone collectors (scanner/zonerunner.py): the broker URL, password put in
    collector_deadline: float = 60.0     # seconds a zone may be without a collector before its devices are
                                         # no_collector


TRANSIENT = {ReasonCode.TIMEOUT, ReasonCode.CONNECTION_LOST, ReasonCode.UNREACHABLE}


def _platform_for(asset: InvAsset, timeout: float) -> str:
    from scanner.transport.errors import CollectError
    from scanner.transport.ssh import server_banner
    if asset.platform != "auto":
        return asset.platform
    banner = server_banner(asset.address, asset.port, timeout)
    name = platforms.by_ssh_banner(banner)
    if name is None:
        raise CollectError(ReasonCode.UNSUPPORTED_PLATFORM, f"cannot tell the platform from the SSH banner "
                           f"'{banner}': set platform: in the inventory")
    return name


def collect_asset(asset: InvAsset, inv: Inventory, opts: LiveOptions, known) -> Capture:
    """Collect what the asset's platform declares (`Platform.collect`), over the transport its mode names."""
    from scanner.transport.errors import CollectError
    from scanner.transport.ssh import Login, Timeouts, collect
    cred = inv.credential(asset)
    if cred is None or cred.ssh is None:
        raise CollectError(ReasonCode.NO_CREDENTIALS, "no SSH credential reference for this asset")
    try:
        password = resolve_secret(cred.ssh.password) if cred.ssh.password else None
        if cred.ssh.key_file:
            check_key_file(cred.ssh.key_file)
    except SecretError as e:
        raise CollectError(ReasonCode.SECRET_UNAVAILABLE, str(e)) from None
    plat_name = _platform_for(asset, opts.connect_timeout)
    plat = platforms.get(plat_name)
    login = Login(asset.address, asset.port, cred.ssh.username, password, cred.ssh.key_file, asset.ssh_legacy,
                  _jump_logins(asset, inv))
    timeouts = Timeouts(connect=opts.connect_timeout, auth=opts.connect_timeout, command=opts.command_timeout)
    attempt = 0
    while True:
        try:
            outputs, rejected = collect(login, plat.collect, plat.session, known, timeouts, opts.max_output)
            break
        except CollectError as e:
            attempt += 1
            if e.code not in TRANSIENT or attempt > opts.retries:
                raise
    cap = Capture(name=asset.name, platform=plat_name, address=f"{asset.address}:{asset.port}", outputs=outputs,
                  context={k: v for k in CONTEXT_KEYS if (v := getattr(asset, k, None)) is not None},
                  commands=dict(plat.collect.commands))
    if "ssh_algorithms" in outputs:
        cap.commands["ssh_algorithms"] = SSH_ALGORITHMS_COMMAND
    for logical, msg in rejected.items():
        cap.status[logical] = "rejected"
        cap.messages[logical] = msg
    return cap


def _jump_logins(asset: InvAsset, inv: Inventory) -> tuple:
    """The asset's jump hosts with their secrets resolved here (on the collector that uses them)."""
    from scanner.transport.errors import CollectError
    from scanner.transport.jump import JumpLogin
    hops = []
    for k, hop in enumerate(asset.jump):
        c = inv.credentials.get(hop.credentials)
        if c is None or c.ssh is None:
            raise CollectError(ReasonCode.NO_CREDENTIALS, f"no SSH credential for jump host {k + 1}")
        try:
            pw = resolve_secret(c.ssh.password) if c.ssh.password else None
            if c.ssh.key_file:
                check_key_file(c.ssh.key_file)
        except SecretError as e:
            raise CollectError(ReasonCode.SECRET_UNAVAILABLE, f"jump host {k + 1}: {e}") from None
        hops.append(JumpLogin(hop.address, hop.port, c.ssh.username, pw, c.ssh.key_file))
    return tuple(hops)


SSH_ALGORITHMS_COMMAND = "ssh: the server's algorithm offer (KEXINIT) and what was negotiated"
SNMP_COMMAND = "snmp: get system group; bulk walk ifTable and entPhysicalTable; probe default v2c communities"


def start_community_probe(asset: InvAsset, inv: Inventory):
    """Send the default-community probes now (their answers are read after the SSH session); None if no SNMP."""
    from scanner.transport.snmp import CommunityProbe
    cred = inv.credential(asset)
    if cred is None or cred.snmp is None:
        return None
    return CommunityProbe(asset.address, cred.snmp.port)


def collect_snmp_into(cap: Capture, asset: InvAsset, inv: Inventory, opts: LiveOptions, probe=None) -> None:
    """Add the SNMP output to a capture; a failure is recorded for that output, the rest stays usable."""

    from scanner.transport.errors import CollectError
    from scanner.transport.snmp import CommunityProbe, SnmpAuth, collect_snmp
    cred = inv.credential(asset)
    if cred is None or cred.snmp is None:
        return
    s = cred.snmp
    cap.commands["snmp"] = SNMP_COMMAND
    try:
        auth = SnmpAuth(s.version, resolve_secret(s.community) if s.community else None, s.username,
                        s.auth_protocol, resolve_secret(s.auth_key) if s.auth_key else None, s.priv_protocol,
                        resolve_secret(s.priv_key) if s.priv_key else None, asset.snmp_context or "")
        data = collect_snmp(asset.address, s.port, auth, timeout=min(opts.connect_timeout, 2.0))
        data["default_community_answers"] = bool((probe or CommunityProbe(asset.address, s.port)).answers())
        cap.outputs["snmp"] = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0)
    except (SecretError, CollectError) as e:
        cap.status["snmp"] = "error"         # the SSH outputs stay; the SNMP facts become errors with this reason
        cap.messages["snmp"] = f"{e.code}: {e.message}" if isinstance(e, CollectError) else str(e)


def assess_capture(cap: Capture, ctx: ScanContext, source: str) -> Asset:
    failed = {k: cap.messages.get(k, "collection failed") for k, st in cap.status.items() if st == "error"}
    req = platforms.get(cap.platform).required
    if req.document not in cap.outputs:         # rejected or not run: the device's own message says why
        return error_asset(cap.name, source, cap.platform, req.code, cap.messages.get(req.document, req.message), ctx)
    got = assess_documents(cap.outputs, ctx, cap.platform, cap.name, source, failed)
    if cap.context:        # what the inventory says of the asset, its exposure among it: judged here, in parallel
        got = judge_asset(got.model_copy(update=cap.context))
    if cap.provenance is not None:          # a zone collector's capture: scan.json names who collected it
        from dataclasses import asdict

        from scanner.model import CaptureInfo
        got = got.model_copy(update={"capture": CaptureInfo(**asdict(cap.provenance))})
    return got


def redacted(cap: Capture) -> Capture:
    plat = platforms.get(cap.platform)
    outs = {k: "\n".join(redact_lines(v.split("\n"), plat.mask.replace, plat.decode_secret, plat.mask))
            for k, v in cap.outputs.items()}
    return dataclasses.replace(cap, outputs=outs, commands=dict(cap.commands), status=dict(cap.status),
                               messages=dict(cap.messages), context=dict(cap.context))


@dataclass(slots=True)
class LiveCollection:
    """The runner's job in a live scan: one asset over SSH, then SNMP, plus the port scan's findings for it."""
    inv: Inventory
    ctx: ScanContext
    opts: LiveOptions
    known: KnownHosts                   # the run's, shared by its workers
    open_ports: dict[str, list[int]]
    portscan_error: str | None = None

    def collect(self, asset: InvAsset, emit: Emit) -> Outcome:
        from scanner.transport.errors import CollectError
        source = f"ssh://{asset.address}:{asset.port}"
        emit(AssetEvent(asset.name, "collecting", source))
        probe = start_community_probe(asset, self.inv)
        try:
            cap = collect_asset(asset, self.inv, self.opts, self.known)
            collect_snmp_into(cap, asset, self.inv, self.opts, probe)
        except CollectError as e:
            emit(AssetEvent(asset.name, "failed", e.code))
            plat = asset.platform if asset.platform != "auto" else platforms.UNKNOWN
            return Failed(error_asset(asset.name, source, plat, e.code, e.message, self.ctx))
        finally:
            if probe is not None:
                probe.close()
        if self.opts.portscan:
            add_ports(cap, self.open_ports.get(asset.address), self.portscan_error)
        return Collected(asset.name, cap, source)

    def failed(self, asset: InvAsset, code: ReasonCode, message: str) -> Failed:
        return Failed(error_asset(asset.name, f"ssh://{asset.address}:{asset.port}", asset.platform, code, message,
                                  self.ctx))


@dataclass(slots=True)
class RawWriter(Processor):
    """--save-raw: every collected capture, secrets replaced by markers, written in the collecting worker (so a
    device saved to raw is a device kept, whenever Ctrl-C comes)."""
    root: Path

    def on_collected(self, done: Collected) -> None:
        prov = done.capture.provenance          # a zone collector's capture keeps naming its collector
        who = None
        if prov is not None and prov.collector:
            user, _, host = prov.collector.rpartition("@")
            who = Collector(prov.collector, host, user.rpartition("/")[2])
        write_capture(self.root, redacted(done.capture), who)


def scan_inventory(inv: Inventory, ctx: ScanContext, opts: LiveOptions, processors: Sequence[Processor] = (),
                   stop: threading.Event | None = None, runner: Runner | None = None) -> ScanResult:
    """Collect and assess every asset; the processors see every event (progress, outcomes). The runner is the
    one `opts` asks for unless one is given."""
    from scanner.transport.ssh import KnownHosts
    started = datetime.now(timezone.utc)
    stop = stop or threading.Event()
    from scanner.assessment import Assessment
    assessment = Assessment()
    every = [*processors, *([RawWriter(opts.save_raw)] if opts.save_raw is not None else []), assessment]

    def emit(event: AssetEvent) -> None:
        for p in every:
            p.on_event(event)
    job = LiveCollection(inv, ctx, opts, KnownHosts(opts.known_hosts, opts.trust_new_hosts), {})
    if opts.save_raw is not None and inv.topology is not None:
        save_topology(opts.save_raw, inv.topology)
    if opts.portscan:
        _portscan(inv, job, emit)
    # the assessment processes of a large scan are forked now, before any collecting thread exists
    assessment.start(ctx, opts.processes, len(inv.assets))
    (runner or runner_for(opts, len(inv.assets))).run(inv.assets, job, every, stop)
    # after an interrupt, no forking (devices still talking may hold locks): what was collected is assessed here
    results = assessment.assess(ctx, opts.processes, emit, parallel=not stop.is_set())
    ordered = [_in_context(results[a.name], a) for a in inv.assets if a.name in results]
    return build_result(ordered, ctx, started, inv.topology, judged=True)


def _in_context(got: Asset, a: InvAsset) -> Asset:
    """The assessed asset with what the inventory says of it. Its capture carried that context, so its assessment
    judged its high risks with this exposure already (in parallel): judged again here only when it did not."""
    out = got.model_copy(update={"zone": a.zone, "role": a.role, "redundancy_group": a.redundancy_group,
                                 "importance": a.importance, "exposure": a.exposure})
    return out if got.exposure == a.exposure else judge_asset(out)


def _portscan(inv: Inventory, job: LiveCollection, emit: Emit) -> None:
    from scanner.transport.errors import CollectError
    from scanner.transport.portscan import scan_ports
    emit(AssetEvent("*", "port scan", f"{len({a.address for a in inv.assets})} addresses"))
    try:
        job.open_ports = scan_ports([a.address for a in inv.assets])
    except CollectError as e:
        job.portscan_error = e.message


PORTSCAN_COMMAND = "nmap -Pn -n -sT <high-risk TCP ports>"


def add_ports(cap: Capture, ports: list[int] | None, error: str | None) -> None:
    cap.commands["ports"] = PORTSCAN_COMMAND
    if error is not None:
        cap.status["ports"], cap.messages["ports"] = "error", error
    else:
        cap.outputs["ports"] = dump_yaml({"open_tcp": ports or []})


def scan_raw(root: Path, ctx: ScanContext, require_manifest: bool = False) -> ScanResult:
    """Assess saved captures; one that is tampered, unsafe or unreadable is that device's error, not the scan's."""
    from dataclasses import asdict

    from scanner.model import CaptureInfo
    started = datetime.now(timezone.utc)
    assets = []
    for d in capture_dirs(root):
        try:
            cap = read_capture(d, require_manifest)
            if not platforms.known(cap.platform):
                raise RawFormatError(f"{d}: unknown platform '{cap.platform}' in device.yaml")
        except RawFormatError as e:
            assets.append(error_asset(d.name, str(d), platforms.UNKNOWN, e.code, str(e), ctx))
            continue
        source = f"ssh://{cap.address}" if cap.address else str(d)
        info = CaptureInfo(**asdict(cap.provenance)) if cap.provenance else None
        assets.append(assess_capture(cap, ctx, source).model_copy(update={"capture": info, **cap.context}))
    # assess_capture judged each asset with its capture's context: not judged again
    return build_result(assets, ctx, started, load_topology(root), judged=True)


TOPOLOGY_FILE = "topology.json"


def save_topology(root: Path, topology: Topology) -> None:
    """The inventory's zones and boundaries beside the captures (--save-raw), so a rescan judges the same boundaries."""
    from scanner.safeio import write_private
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(root / TOPOLOGY_FILE, topology.model_dump_json(indent=1))


def load_topology(root: Path) -> Topology | None:
    path = root / TOPOLOGY_FILE
    if not path.is_file():
        return None
    from pydantic import ValidationError

    from scanner.errors import InputFileError
    try:
        return Topology.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as e:
        err = e.errors()[0]
        raise InputFileError(path, None, ".".join(map(str, err["loc"])) or None,
                             f"not the zones and boundaries a scan saves: {err['msg']}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputFileError(path, None, None, f"cannot read: {e}") from None
