"""Assessing what a live scan collects: the `Assessment` processor keeps every asset's outcome and has each collected
capture parsed and checked, in assessment processes forked before collection starts (large scans: `AssessPool`,
fed as devices are collected, so parsing overlaps the waiting on devices and only the captures not yet assessed are
held), or once collection is over (small scans and after an interrupt: `assess_all`)."""
from __future__ import annotations

import threading
import time

from scanner.engine import ScanContext, error_asset
from scanner.errors import ReasonCode
from scanner.live import assess_capture
from scanner.model import Asset
from scanner.runner import AssetEvent, Collected, Emit, Event, Failed, Processor
from scanner.transport.replay import Capture

POOL_FROM = 32          # devices from which a scan assesses in forked processes
PENDING_PER_PROCESS = 8  # captures handed to the pool and not yet assessed, per assessment process


def assess_here(name: str, cap: Capture, source: str, ctx: ScanContext) -> Asset:
    """One capture assessed in this process; a bug in its assessment costs that device only (internal_error)."""
    try:
        return assess_capture(cap, ctx, source)
    except Exception as e:
        return error_asset(name, source, cap.platform, ReasonCode.INTERNAL_ERROR, f"{type(e).__name__}: {e}", ctx)


def pool_size(processes: int, n_assets: int) -> int:
    """Assessment processes for a scan of n_assets (0: assess in this process): `processes` when asked for, else one
    per CPU from POOL_FROM devices; at most 8, never more than the devices."""
    import os
    n = processes or (os.cpu_count() or 1)
    return min(n, 8, n_assets) if n > 1 and n_assets >= (2 if processes else POOL_FROM) else 0


def _emit_assessed(names, out: dict[str, Asset], emit: Emit) -> None:
    for k in names:
        emit(AssetEvent(k, "assessed" if out[k].status.value == "assessed" else "not assessed",
                        out[k].reason_code or ""))


def assess_all(jobs: dict[str, tuple[Capture, str]], ctx: ScanContext, processes: int = 0,
               emit: Emit = lambda event: None, parallel: bool = True) -> dict[str, Asset]:
    """Parse and check every capture at once (captures saved earlier, or collected by a small scan).

    With several processes (from 32 captures, or when asked for) they go through an `AssessPool`; a process that
    fails or stalls is abandoned and what it did not send is assessed here."""
    names = list(jobs)
    out: dict[str, Asset] = {}
    size = pool_size(processes, len(names)) if parallel else 0
    if size:
        pool = AssessPool.start(ctx, size)
        if pool is not None:
            for k in names:
                pool.submit(k, *jobs[k])
            out = pool.close(60 + 0.5 * len(names))
    for k in names:
        if k not in out:
            out[k] = assess_here(k, *jobs[k], ctx)
    _emit_assessed(names, out, emit)
    return out


class AssessPool:
    """Assessment processes forked before any collecting thread exists (so they inherit no lock held by one):
    they inherit the checks, the catalogue and the run's fingerprint key, take captures from a queue and send back
    assets. At most `PENDING_PER_PROCESS` captures per process wait at a time: `submit` blocks beyond that, so a
    scan holds the captures in flight, not every capture it collected. A capture whose assessment fails in a child,
    and whatever is pending when the children die or stall, is assessed here."""

    def __init__(self, ctx: ScanContext, procs: list, tasks, results) -> None:
        self.ctx, self.procs, self.tasks, self.results = ctx, procs, tasks, results
        self.pending: dict[str, tuple[Capture, str]] = {}
        self.retry: dict[str, tuple[Capture, str]] = {}
        self.done: dict[str, Asset] = {}
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(PENDING_PER_PROCESS * len(procs))
        self.peak = 0                   # the most captures pending at once (bounded by the slots)
        self.drainer = threading.Thread(target=self._drain, daemon=True, name="assess-drain")
        self.drainer.start()

    @classmethod
    def start(cls, ctx: ScanContext, n: int) -> AssessPool | None:
        import multiprocessing

        from scanner.secrets import fingerprint
        fingerprint("")          # the run key exists before forking: password-reuse fingerprints agree
        try:
            mp = multiprocessing.get_context("fork")
            tasks, results = mp.Queue(), mp.Queue()
            procs = [mp.Process(target=_pool_worker, args=(ctx, tasks, results), daemon=True) for _ in range(n)]
            for p in procs:
                p.start()
        except (ValueError, OSError):
            return None
        return cls(ctx, procs, tasks, results)

    def _alive(self) -> bool:
        return any(p.is_alive() for p in self.procs)

    def submit(self, name: str, cap: Capture, source: str) -> None:
        while not self.slots.acquire(timeout=1.0):
            if not self._alive():             # the children are gone: what is left is assessed at close, here
                with self.lock:
                    self.retry[name] = (cap, source)
                return
        with self.lock:
            self.pending[name] = (cap, source)
            self.peak = max(self.peak, len(self.pending))
        self.tasks.put((name, cap, source))

    def _drain(self) -> None:
        while True:
            got = self.results.get()
            if got is None:                   # close() says: nothing more will come
                return
            name, asset = got
            with self.lock:
                job = self.pending.pop(name, None)
                if job is None:
                    continue
                if asset is None:             # the child's assessment raised: assessed again here at close
                    self.retry[name] = job
                else:
                    self.done[name] = asset
            self.slots.release()

    def close(self, timeout: float) -> dict[str, Asset]:
        """Wait for what is pending (up to `timeout` s), stop the children; returns the assets they sent. The
        caller assesses the rest here."""
        for _ in self.procs:
            self.tasks.put(None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pending and self._alive():
            time.sleep(0.05)
        for p in self.procs:
            p.join(timeout=0.5 if not self.pending else 0)
            if p.is_alive():
                p.terminate()
        # what is still buffered for a child that is gone can never be written: without this, the queue's exit
        # handler would wait for its feeder thread for ever (a pytest or scan process that never exits)
        self.tasks.cancel_join_thread()
        self.results.put(None)
        self.drainer.join(timeout=5)
        self.results.cancel_join_thread()
        with self.lock:
            left = {**self.pending, **self.retry}
            out = dict(self.done)
        for name, (cap, source) in left.items():
            out[name] = assess_here(name, cap, source, self.ctx)
        return out


def _pool_worker(ctx: ScanContext, tasks, results) -> None:
    import signal

    from scanner.collectors import forked_gc
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    forked_gc()
    while (job := tasks.get()) is not None:
        name, cap, source = job
        try:
            results.put((name, assess_capture(cap, ctx, source)))
        except Exception:             # assessed again by the parent, which reports it
            results.put((name, None))
    results.close()
    results.join_thread()


class Assessment(Processor):
    """Keeps every asset's outcome. `start` (before collection) forks the assessment processes of a large scan:
    each collected capture goes to them at once; otherwise captures are kept and assessed by `assess`."""

    def __init__(self) -> None:
        self.collected: dict[str, tuple[Capture, str]] = {}
        self.order: list[str] = []
        self.results: dict[str, Asset] = {}
        self.pool: AssessPool | None = None

    def start(self, ctx: ScanContext, processes: int, n_assets: int) -> None:
        if size := pool_size(processes, n_assets):
            self.pool = AssessPool.start(ctx, size)

    def on_event(self, event: Event) -> None:
        if isinstance(event, Collected):
            self.order.append(event.name)
            if self.pool is not None:
                self.pool.submit(event.name, event.capture, event.source)
            else:
                self.collected[event.name] = (event.capture, event.source)
        elif isinstance(event, Failed):
            self.results[event.name] = event.asset

    def assess(self, ctx: ScanContext, processes: int, emit: Emit, parallel: bool) -> dict[str, Asset]:
        if self.pool is None:
            return {**self.results, **assess_all(self.collected, ctx, processes, emit, parallel)}
        out = self.pool.close(60 + 0.5 * len(self.order))
        _emit_assessed(self.order, out, emit)
        return {**self.results, **out}
