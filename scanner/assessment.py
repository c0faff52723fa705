"""Assessing what a live scan collected, once collection is over: the `Assessment` processor keeps every asset's
outcome, `assess_all` parses and checks the captures (in forked processes for large scans)."""
from __future__ import annotations

import time

from scanner.engine import ScanContext, error_asset
from scanner.errors import ReasonCode
from scanner.live import assess_capture
from scanner.model import Asset
from scanner.runner import AssetEvent, Collected, Emit, Event, Failed, Processor
from scanner.transport.replay import Capture


def assess_all(jobs: dict[str, tuple[Capture, str]], ctx: ScanContext, processes: int = 0,
               emit: Emit = lambda event: None, parallel: bool = True) -> dict[str, Asset]:
    """Parse and check every collected capture, once collection is over.

    Collection is I/O and the assessment pure CPU: run inside the collecting threads, each device's assessment
    stalled the SSH and SNMP exchanges of all the others (one GIL). Done afterwards, it gets every core: with 32+
    devices the captures go to forked processes (forked now that the collection threads are gone), which inherit
    the checks, the catalogue and the run's fingerprint key (so password-reuse fingerprints agree). A process that
    fails or stalls is abandoned and what it did not send is assessed here.
    """
    import os
    names = list(jobs)
    out: dict[str, Asset] = {}
    n = processes or (os.cpu_count() or 1)
    if parallel and n > 1 and len(names) >= (2 if processes else 32):
        out.update(_assess_forked(jobs, ctx, min(n, 8, len(names)), 60 + 0.5 * len(names)))
    for k in names:
        if k not in out:
            try:
                out[k] = assess_capture(jobs[k][0], ctx, jobs[k][1])
            except Exception as e:       # a bug in one device's assessment must not lose the others
                cap, source = jobs[k]
                out[k] = error_asset(k, source, cap.platform, ReasonCode.INTERNAL_ERROR, f"{type(e).__name__}: {e}",
                                     ctx)
        emit(AssetEvent(k, "assessed" if out[k].status.value == "assessed" else "not assessed",
                        out[k].reason_code or ""))
    return out


def _assess_forked(jobs: dict[str, tuple[Capture, str]], ctx: ScanContext, n: int, timeout: float
                   ) -> dict[str, Asset]:
    """Assess the captures in n forked processes (each inherits ctx and its share of the captures); whatever they
    send before the timeout. The run's fingerprint key is created first, so every child has the same one."""
    import multiprocessing
    import queue as queue_mod

    from scanner.secrets import fingerprint
    fingerprint("")
    try:
        mp = multiprocessing.get_context("fork")
        q = mp.Queue()
        names = list(jobs)
        procs = [mp.Process(target=_assess_shard, args=([(k, *jobs[k]) for k in names[i::n]], ctx, q), daemon=True)
                 for i in range(n)]
        for p in procs:
            p.start()
    except (ValueError, OSError):
        return {}
    out: dict[str, Asset] = {}
    deadline, running = time.monotonic() + timeout, len(procs)
    try:
        while running and time.monotonic() < deadline:
            try:
                got = q.get(timeout=0.5)
            except queue_mod.Empty:
                if not any(p.is_alive() for p in procs):      # a child died: assess what is left here
                    break
                continue
            if got is None:
                running -= 1
            else:
                out[got[0]] = got[1]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.join(timeout=2)
    return out


def _assess_shard(part: list[tuple[str, Capture, str]], ctx: ScanContext, q) -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    for name, cap, source in part:
        try:
            q.put((name, assess_capture(cap, ctx, source)))
        except Exception:             # left to the parent, which reports it
            pass
    q.put(None)
    q.close()
    q.join_thread()


class Assessment(Processor):
    """Keeps every asset's outcome; `assess` then checks the collected ones (assess_all) once collection is over."""

    def __init__(self) -> None:
        self.collected: dict[str, tuple[Capture, str]] = {}
        self.results: dict[str, Asset] = {}

    def on_event(self, event: Event) -> None:
        if isinstance(event, Collected):
            self.collected[event.name] = (event.capture, event.source)
        elif isinstance(event, Failed):
            self.results[event.name] = event.asset

    def assess(self, ctx: ScanContext, processes: int, emit: Emit, parallel: bool) -> dict[str, Asset]:
        return {**self.results, **assess_all(self.collected, ctx, processes, emit, parallel)}
