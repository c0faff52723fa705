"""The runner protocol: how many assets are collected at once, and where their progress and results go.

A scan hands a `Runner` the assets, a `Job` (what collecting one asset means) and its `Processor`s. The runner
runs the job once per asset wherever it likes (threads and forked processes in scanner/collectors.py; the zone
collectors of a distributed engine plug in here) and delivers exactly one outcome per asset, `Collected` or
`Failed`, plus the progress events the job emits, to every processor. What crosses a process boundary is small and
picklable: the inventory asset in, events and outcomes (Capture, Asset) out.

Ctrl-C: a device is collected once the runner has *handed it over*: every processor's `on_collected` ran (the raw
writer saved it) under the runner's hand-over lock and the runner will deliver it. Once the scan's stop is set, no
device is handed over; every asset not handed over is reported `interrupted`.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from scanner.errors import ReasonCode

if TYPE_CHECKING:
    from scanner.inventory import InventoryAsset
    from scanner.model import Asset
    from scanner.transport.replay import Capture


@dataclass(frozen=True, slots=True)
class AssetEvent:
    """Progress: `name` is an asset (or "*" for the whole scan), `state` what happens to it: port scan, collecting,
    failed (detail: the reason code), collected, assessed, not assessed (detail: the reason code)."""
    name: str
    state: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Collected:
    """An asset's outcome: its capture, still to be assessed, and where it came from."""
    name: str
    capture: Capture
    source: str


@dataclass(frozen=True, slots=True)
class Failed:
    """An asset's outcome: it could not be collected; `asset` is its not-assessed result with the reason code."""
    asset: Asset

    @property
    def name(self) -> str:
        return self.asset.name


Outcome = Collected | Failed
Event = AssetEvent | Collected | Failed
Emit = Callable[[AssetEvent], None]


class Processor(Protocol):
    """Receives a scan's events. Subclass it and override what you need (the defaults do nothing)."""

    def on_collected(self, done: Collected) -> None:
        """In the collecting worker (a thread, a forked process), under the hand-over lock, before the device counts
        as collected. A device whose on_collected returned is kept whenever Ctrl-C comes; none is called after it."""

    def on_event(self, event: Event) -> None:
        """In the scanning process, for progress events (possibly from several collecting threads at once) and for
        each asset's one outcome."""


class Job(Protocol):
    """What collecting one asset means; a runner calls it from its workers."""

    def collect(self, asset: InventoryAsset, emit: Emit) -> Outcome:
        """Collect one asset; a failure to collect is a Failed outcome, not an exception."""

    def failed(self, asset: InventoryAsset, code: ReasonCode, message: str) -> Failed:
        """The outcome of an asset the runner could not collect (interrupted, or a bug on its path)."""


class Runner(Protocol):
    def run(self, assets: Sequence[InventoryAsset], job: Job, processors: Sequence[Processor],
            stop: threading.Event) -> None:
        """Collect every asset with `job` and deliver one outcome per asset to the processors. Ctrl-C
        (KeyboardInterrupt) sets `stop`, keeps what was handed over and reports the rest as interrupted."""


class Handover:
    """The hand-over of collected devices in one process: a lock that Ctrl-C takes, so a save in progress ends
    first and none starts after. `send` is called under the lock with each handed device and its "collected" event
    (a forked child sends them to its parent there)."""

    def __init__(self, processors: Sequence[Processor], stop: Callable[[], bool],
                 send: Callable[[AssetEvent, Collected], None] | None = None) -> None:
        self.processors, self.stopped, self.send = list(processors), stop, send
        self.lock = threading.Lock()
        self.handed: dict[str, Collected] = {}

    def emit(self, event: Event) -> None:
        for p in self.processors:
            p.on_event(event)

    def hand_over(self, done: Collected, job: Job, asset: InventoryAsset) -> Outcome:
        collected = AssetEvent(done.name, "collected")
        with self.lock:
            if self.stopped():
                return interrupted(job, asset)
            for p in self.processors:
                p.on_collected(done)
            # a child sending up keeps only the name (the parent has the capture); in one process the capture stays
            # until the runner delivers it (Ctrl-C may need it)
            self.handed[done.name] = done if self.send is None else None
            if self.send is not None:
                self.send(collected, done)
                return done
        self.emit(collected)
        return done


def run_one(asset: InventoryAsset, job: Job, hand: Handover, emit: Emit) -> Outcome:
    """One asset in a worker: collect it unless the scan stopped, then hand it over. Never raises: a bug in one
    device's path must not lose the others."""
    if hand.stopped():
        return interrupted(job, asset)
    try:
        got = job.collect(asset, emit)
        return hand.hand_over(got, job, asset) if isinstance(got, Collected) else got
    except Exception as e:
        return job.failed(asset, ReasonCode.INTERNAL_ERROR, f"{type(e).__name__}: {e}")


def interrupted(job: Job, asset: InventoryAsset) -> Failed:
    return job.failed(asset, ReasonCode.INTERRUPTED, "scan interrupted before this device was collected")


def runner_for(opts, n_assets: int) -> Runner:
    """The runner a scan's LiveOptions ask for: forked collecting processes (`collectors`; 0 = one per CPU from 100
    devices), each with its share of `workers` threads, or worker threads in this process; with a broker, the zone
    collectors."""
    from scanner.collectors import ProcessRunner, ThreadRunner, collector_count
    if getattr(opts, "broker", None):
        from scanner.zonerunner import ZoneRunner
        return ZoneRunner(opts.broker, opts.collector_deadline)
    shards = collector_count(opts.collectors, n_assets)
    return ProcessRunner(shards, opts.workers) if shards > 1 else ThreadRunner(opts.workers)
