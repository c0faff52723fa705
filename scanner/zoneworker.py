"""`mlps worker --zone Z`: a zone collector. It connects out to the broker, consumes `mlps.zone.Z`, and for each
task collects one asset with the secrets of this machine (the task names references only), redacts the capture
and returns it in the `--save-raw` format, signed by its manifest and naming this collector."""
from __future__ import annotations

import getpass
import os
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from scanner.distributed import TASK, WIRE_VERSION, make_app, pack_files, queue_of, shown_url, zone_of

# Hundreds of threads wait on SSH sessions; switching between the runnable ones every 20 ms instead of Python's 5
# costs less time in the kernel handing the interpreter lock round (10 000 devices: 47.7 -> 29.6 kernel CPU-s)
SWITCH_INTERVAL_S = 0.02
_KEY_LOCK = threading.Lock()       # the fingerprint key is per process; tasks of two scans take turns redacting


@dataclass
class Counters:
    """What `mlps worker` shows: tasks received, collected, failed (with their reason code), running."""
    zone: str
    received: int = 0
    collected: int = 0
    failed: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def line(self) -> str:
        running = self.received - self.collected - self.failed - self.refused
        return (f"zone {self.zone}: {self.received} received, {self.collected} collected, {self.failed} failed, "
                f"{self.refused} refused, {running} running")


def collector_id(zone: str):
    from scanner.transport.replay import Collector
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    host = socket.gethostname()
    return Collector(f"{zone}/{user}@{host}", host, user)


def collect_task(payload: dict, zone: str, known, counters: Counters, say=print) -> dict:
    """One task: the asset is collected only if it belongs to this zone (a misrouted task is refused, never
    collected with this zone's secrets)."""
    from scanner.inventory import Inventory, InventoryAsset
    with counters.lock:
        counters.received += 1
    if not isinstance(payload, dict) or payload.get("v") != WIRE_VERSION:
        return _refused(counters, say, "?", "the task is not an mlps-scanner task of this version")
    asset = InventoryAsset(**payload["asset"])
    if zone_of(asset) != zone:
        return _refused(counters, say, asset.name, f"asset of zone {asset.zone!r} sent to zone {zone!r}")
    inv = Inventory(source="task", assets=[asset], credentials=payload.get("credentials") or {})
    with counters.lock:
        say(f"{asset.name}: collecting | {counters.line()}")
    got = _collect(asset, inv, payload.get("options") or {}, known, bytes.fromhex(payload.get("key", "")), zone)
    with counters.lock:
        if "files" in got:
            counters.collected += 1
        else:
            counters.failed += 1
        status = "collected" if "files" in got else f"failed {got['code']}"
        say(f"{asset.name}: {status} | {counters.line()}")
    return {"v": WIRE_VERSION, "scan": payload.get("scan"), "name": asset.name, **got}


def _refused(counters: Counters, say, name: str, why: str) -> dict:
    with counters.lock:
        counters.refused += 1
        say(f"{name}: refused ({why}) | {counters.line()}")
    return {"v": WIRE_VERSION, "name": name, "code": "internal_error", "message": f"collector refused: {why}"}


def _collect(asset, inv, o: dict, known, key: bytes, zone: str) -> dict:
    from scanner.live import LiveOptions, collect_asset, collect_snmp_into, redacted, start_community_probe
    from scanner.secrets import use_run_key
    from scanner.transport.errors import CollectError
    from scanner.transport.replay import capture_files
    opts = LiveOptions(known_hosts=known.path, connect_timeout=float(o.get("connect_timeout", 10)),
                       command_timeout=float(o.get("command_timeout", 120)), retries=int(o.get("retries", 1)),
                       max_output=int(o.get("max_output", 64 * 1024 * 1024)))
    probe = start_community_probe(asset, inv)
    try:
        cap = collect_asset(asset, inv, opts, known)
        collect_snmp_into(cap, asset, inv, opts, probe)
    except CollectError as e:
        return {"code": str(e.code), "message": e.message}
    finally:
        if probe is not None:
            probe.close()
    with _KEY_LOCK:
        if key:
            use_run_key(key)
        clean = redacted(cap)
    who = collector_id(zone)
    return {"files": pack_files(capture_files(clean, who)), "collector": who.id}


def run_worker(zone: str, url: str, known_hosts: Path, trust_new: bool, threads: int, say=print) -> None:
    """Consume the zone's queue until stopped (SIGTERM / Ctrl-C: Celery's warm shutdown, unacknowledged tasks go
    back to the queue)."""
    from scanner.transport.ssh import KnownHosts
    app = make_app(url)
    known = KnownHosts(known_hosts, trust_new)
    counters = Counters(zone)

    @app.task(name=TASK, bind=False, acks_late=True, reject_on_worker_lost=True)
    def collect(payload):
        return collect_task(payload, zone, known, counters, say)

    queue = queue_of(zone)
    # as in the scan's collecting processes: what is loaded by now (Celery, the platforms, the checks) out of the
    # garbage collector's sight, and fewer young passes; each task allocates thousands of short-lived objects
    from scanner.collectors import forked_gc
    forked_gc()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    say(f"mlps worker: zone {zone}, queue {queue}, broker {shown_url(url)}, {threads} thread(s), "
        f"known hosts {known_hosts}, collector {collector_id(zone).id}")
    app.Worker(queues=[queue], pool="threads", concurrency=threads, hostname=f"{zone}.{os.getpid()}@{socket.gethostname()}",
               without_mingle=True, without_gossip=True, without_heartbeat=True, loglevel="WARNING",
               quiet=True).start()
