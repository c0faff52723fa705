"""Live scans: inventory -> collect each device once (bounded worker pool) -> the same assessment as saved outputs.

A device that cannot be collected is reported `error` (not assessed) with a reason code; the scan goes on.
With `save_raw`, every output used is written (secrets replaced by markers) so `--raw` reproduces the verdicts.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scanner import platforms
from scanner.engine import ScanContext, assess_documents, build_result, error_asset
from scanner.errors import ReasonCode
from scanner.inventory import InventoryAsset as InvAsset, Inventory
from scanner.secretrefs import SecretError, check_key_file, resolve_secret
from scanner.model import Asset, ScanResult
from scanner.secrets import redact_lines
from scanner.transport.replay import Capture, capture_dirs, read_capture, RawFormatError, write_capture
from scanner.textio import dump_yaml
from scanner.collectors import collect_in_processes, collect_in_threads, collector_count, interrupted_asset


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
    login = Login(asset.address, asset.port, cred.ssh.username, password, cred.ssh.key_file, asset.ssh_legacy)
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
                  commands=dict(plat.collect.commands))
    if "ssh_algorithms" in outputs:
        cap.commands["ssh_algorithms"] = SSH_ALGORITHMS_COMMAND
    for logical, msg in rejected.items():
        cap.status[logical] = "rejected"
        cap.messages[logical] = msg
    return cap


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
    return assess_documents(cap.outputs, ctx, cap.platform, cap.name, source, failed)


def redacted(cap: Capture) -> Capture:
    plat = platforms.get(cap.platform)
    outs = {k: "\n".join(redact_lines(v.split("\n"), plat.mask.replace, plat.decode_secret))
            for k, v in cap.outputs.items()}
    return Capture(cap.name, cap.platform, cap.address, outs, dict(cap.commands), dict(cap.status),
                   dict(cap.messages), cap.collected_at)


_POOL_CTX: ScanContext | None = None


def _assess_in_child(job: tuple[Capture, str]) -> Asset:
    return assess_capture(job[0], _POOL_CTX, job[1])


def _ignore_sigint() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle


def assess_all(jobs: dict[str, tuple[Capture, str]], ctx: ScanContext, processes: int = 0,
               emit: Callable[[str, str, str], None] = lambda *a: None, parallel: bool = True) -> dict[str, Asset]:
    """Parse and check every collected capture, once collection is over.

    Collection is I/O and the assessment pure CPU: run inside the collecting threads, each device's assessment
    stalled the SSH and SNMP exchanges of all the others (one GIL). Done afterwards, it gets every core: with 32+
    devices the captures go to forked processes (forked now that the collection threads are gone), which inherit
    the checks, the catalogue and the run's fingerprint key (so password-reuse fingerprints agree). A pool that
    fails or stalls is abandoned and the rest is assessed here.
    """
    import multiprocessing
    import os

    from scanner.secrets import fingerprint
    names = list(jobs)
    out: dict[str, Asset] = {}
    n = processes or (os.cpu_count() or 1)
    if parallel and n > 1 and len(names) >= (2 if processes else 32):
        global _POOL_CTX
        _POOL_CTX = ctx
        fingerprint("")                  # create the run key before forking: every child inherits the same one
        try:
            pool = multiprocessing.get_context("fork").Pool(min(n, 8, len(names)), initializer=_ignore_sigint)
        except (ValueError, OSError):
            pool = None
        if pool is not None:
            try:
                done = pool.map_async(_assess_in_child, [jobs[k] for k in names],
                                      chunksize=max(1, min(16, len(names) // (4 * n)))).get(60 + 0.5 * len(names))
                out.update(zip(names, done))
            except Exception:            # a child died or hung: assess what is left here
                pass
            finally:
                pool.terminate()
                pool.join()
    for k in names:
        if k not in out:
            try:
                out[k] = assess_capture(jobs[k][0], ctx, jobs[k][1])
            except Exception as e:       # a bug in one device's assessment must not lose the others
                cap, source = jobs[k]
                out[k] = error_asset(k, source, cap.platform, ReasonCode.INTERNAL_ERROR, f"{type(e).__name__}: {e}",
                                     ctx)
        emit(k, "assessed" if out[k].status.value == "assessed" else "not assessed", out[k].reason_code or "")
    return out


def scan_inventory(inv: Inventory, ctx: ScanContext, opts: LiveOptions,
                   on_event: Callable[[str, str, str], None] | None = None,
                   stop: threading.Event | None = None) -> ScanResult:
    """Collect and assess every asset. on_event(asset, state, detail) reports progress."""
    from scanner.transport.errors import CollectError
    from scanner.transport.ssh import KnownHosts
    started = datetime.now(timezone.utc)
    known = KnownHosts(opts.known_hosts, opts.trust_new_hosts)
    results: dict[str, Asset] = {}
    local_emit = on_event or (lambda *a: None)

    def emit(name: str, state: str, detail: str) -> None:
        if _child_queue is not None:                 # in a collecting child process: tell the parent
            _child_queue.put(("event", name, (name, state, detail)))
        else:
            local_emit(name, state, detail)

    stop = stop or threading.Event()
    open_ports: dict[str, list[int]] = {}
    portscan_error: str | None = None
    if opts.portscan:
        from scanner.transport.portscan import scan_ports
        emit("*", "port scan", f"{len({a.address for a in inv.assets})} addresses")
        try:
            open_ports = scan_ports([a.address for a in inv.assets])
        except CollectError as e:
            portscan_error = e.message

    handed: dict[str, tuple[Capture, str]] = {}       # collected devices, before their worker returns them
    handed_lock = threading.Lock()

    def collect_one(asset: InvAsset) -> Asset | tuple[Capture, str]:
        """The capture to assess, or the asset's error when it could not be collected."""
        source = f"ssh://{asset.address}:{asset.port}"
        if stop.is_set():
            return interrupted_asset(asset, ctx)
        emit(asset.name, "collecting", source)
        probe = start_community_probe(asset, inv)
        try:
            cap = collect_asset(asset, inv, opts, known)
            collect_snmp_into(cap, asset, inv, opts, probe)
        except CollectError as e:
            emit(asset.name, "failed", e.code)
            plat = asset.platform if asset.platform != "auto" else platforms.UNKNOWN
            return error_asset(asset.name, source, plat, e.code, e.message, ctx)
        finally:
            if probe is not None:
                probe.close()
        if opts.portscan:
            add_ports(cap, open_ports.get(asset.address), portscan_error)
        with handed_lock:      # saved to raw = collected, whenever Ctrl-C comes; after it, nothing is saved
            if stop.is_set():
                return interrupted_asset(asset, ctx)
            if opts.save_raw is not None:
                write_capture(opts.save_raw, redacted(cap))
            handed[asset.name] = (cap, source)
            if _child_queue is not None:
                _child_queue.put(("result", asset.name, (cap, source)))
        emit(asset.name, "collected", "")
        return cap, source

    collected: dict[str, tuple[Capture, str]] = {}

    def keep(a: InvAsset, got) -> None:
        if isinstance(got, tuple):
            collected[a.name] = got
        else:
            results[a.name] = got

    shards = collector_count(opts, len(inv.assets))
    if shards > 1:
        collect_in_processes(inv.assets, shards, opts.workers, collect_one, keep, emit, stop, ctx, handed,
                              handed_lock)
    else:
        collect_in_threads(inv.assets, opts.workers, collect_one, keep, stop, ctx, handed, handed_lock)
    # after an interrupt, no forking (devices still talking may hold locks): what was collected is assessed here
    results.update(assess_all(collected, ctx, opts.processes, emit, parallel=not stop.is_set()))
    ordered = [results[a.name].model_copy(update={"zone": a.zone, "role": a.role, "redundancy_group": a.redundancy_group,
                                                  "importance": a.importance})
               for a in inv.assets if a.name in results]
    return build_result(ordered, ctx, started)


_child_queue = None       # set in a collecting child: progress events go to the parent


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
        assets.append(assess_capture(cap, ctx, source).model_copy(update={"capture": info}))
    return build_result(assets, ctx, started)
