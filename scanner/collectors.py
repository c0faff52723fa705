"""The runners of scanner/runner.py: worker threads in this process, or forked processes each with their own
threads streaming every device back as soon as it is collected. Ctrl-C keeps what was collected (and everything
saved to raw); the rest is reported as interrupted."""
from __future__ import annotations

import gc
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager

from scanner.errors import ReasonCode
from scanner.runner import AssetEvent, Collected, Handover, interrupted, run_one


def collector_count(collectors: int, n_assets: int) -> int:
    """Collecting processes: one Python process is bound by its GIL long before the network or the CPUs are (a
    1 000-device scan used 23 s of CPU in 21 s of wall time on 2 cores). 0 = one per CPU from 100 devices."""
    import multiprocessing
    if collectors == 1 or n_assets < 2:
        return 1
    n = collectors or ((os.cpu_count() or 1) if n_assets >= 100 else 1)
    try:
        multiprocessing.get_context("fork")
    except ValueError:
        return 1
    return max(1, min(n, 8, n_assets))


QUEUE_PER_SHARD = 64         # messages (events, outcomes) a collecting child may have on its way up
# Allocations between two young-generation passes of Python's garbage collector (default 700). Assessing one
# configuration of ~5 000 lines keeps ~14 000 more objects alive until it ends (its tree and facts): at 700 the
# collector runs ~20 times per device and traverses the survivors again in the older generations, 15-20 % of the
# assessment's CPU (bench/cpu_device.py). Nothing waits for it: the scanner's objects are freed by reference
# counting; the passes only look for reference cycles.
GC_GEN0 = 100_000


def forked_gc() -> None:
    """In a forked collecting or assessing process: the objects inherited from the parent (modules, checks,
    catalogue) moved out of the collector's sight, and fewer young passes (GC_GEN0)."""
    gc.freeze()
    gc.set_threshold(GC_GEN0, *gc.get_threshold()[1:])


@contextmanager
def bulk_gc():
    """Fewer young collector passes while a scan receives thousands of captures and results (GC_GEN0)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_GEN0), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


class ThreadRunner:
    """Worker threads in this process; progress events reach the processors from the worker threads."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, assets, job, processors, stop: threading.Event) -> None:
        hand = Handover(processors, stop.is_set)
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(assets))))
        futures = {pool.submit(run_one, a, job, hand, hand.emit): a for a in assets}
        delivered: set[str] = set()
        try:
            for f in as_completed(futures):
                a = futures.pop(f)          # a delivered capture is the assessment's to keep or drop, not ours
                hand.emit(f.result())
                delivered.add(a.name)
                hand.handed.pop(a.name, None)
        except KeyboardInterrupt:
            # Ctrl-C: start nothing new, keep everything already collected (saved to raw or not), report the rest
            # as interrupted. Devices still talking are abandoned (their threads end with their timeouts).
            stop.set()
            with hand.lock:           # a save in progress ends first; none starts after
                pool.shutdown(wait=False, cancel_futures=True)
                for f, a in futures.items():
                    if a.name not in delivered:
                        done = f.done() and not f.cancelled()
                        hand.emit(f.result() if done else hand.handed.get(a.name) or interrupted(job, a))
        finally:
            if not stop.is_set():
                pool.shutdown(wait=True)


class ProcessRunner:
    """Split the devices over forked processes, each running its own worker threads, and stream every device's
    outcome back as soon as it is collected; progress events come the same way. Ctrl-C stops the children: each
    stops saving, sends what it saved and says so; the rest is reported as interrupted."""

    def __init__(self, shards: int, workers: int) -> None:
        self.shards, self.workers = shards, workers

    def run(self, assets, job, processors, stop: threading.Event) -> None:
        import multiprocessing

        from scanner.secrets import fingerprint
        mp = multiprocessing.get_context("fork")
        # bounded: when the parent is slower (the assessment is behind), a child's hand-over waits, and with it its
        # collecting threads, instead of captures piling up in the child's queue buffer
        q = mp.Queue(maxsize=QUEUE_PER_SHARD)
        halt = mp.RawValue("b", 0)       # polled, not an mp.Event: setting one blocks on waiters that have exited
        per = max(1, self.workers // self.shards)
        fingerprint("")          # the run key exists before forking: --save-raw markers agree across processes
        parts = [assets[i::self.shards] for i in range(self.shards)]
        procs = [mp.Process(target=_collect_shard, args=(part, job, processors, q, halt, per), daemon=True)
                 for part in parts if part]
        for p in procs:
            p.start()
        by_name = {a.name: a for a in assets}
        inbox = _Inbox(q, procs, set(by_name), Handover(processors, stop.is_set))
        try:
            with bulk_gc():
                inbox.receive(None)
        except KeyboardInterrupt:
            stop.set()
            halt.value = 1
            inbox.receive(time.monotonic() + 5)     # children send what they saved, then stop
        finally:
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join(timeout=2)
        for name in sorted(inbox.pending):
            a = by_name[name]
            inbox.hand.emit(interrupted(job, a) if stop.is_set() else job.failed(
                a, ReasonCode.INTERNAL_ERROR, "the collecting process ended before this device was reported"))


class _Inbox:
    """The parent's end of the queue: delivers what the children send until each said done (or died)."""

    def __init__(self, q, procs: list, pending: set[str], hand: Handover) -> None:
        self.q, self.procs, self.pending, self.hand = q, procs, pending, hand
        self.running = len(procs)

    def receive(self, deadline: float | None) -> None:
        import queue as queue_mod
        while self.running and (deadline is None or time.monotonic() < deadline):
            try:
                kind, payload = self.q.get(timeout=0.5)
            except queue_mod.Empty:
                if not any(p.is_alive() for p in self.procs):       # a child died without saying done
                    break
                continue
            if kind == "done":
                self.running -= 1
            elif kind == "event":
                self.hand.emit(payload)
            elif payload.name in self.pending:
                self.pending.discard(payload.name)
                self.hand.emit(payload)


def _collect_shard(part: list, job, processors, q, halt, workers: int) -> None:
    """A forked collecting process: its devices on its own threads; events and outcomes go up the queue."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)          # the parent handles Ctrl-C
    forked_gc()

    def send(collected: AssetEvent, done: Collected) -> None:
        q.put(("event", collected))
        q.put(("outcome", done))
    hand = Handover(processors, lambda: False, send)      # on halt this process ends (below), saving nothing more

    def on_halt() -> None:
        while not halt.value:
            time.sleep(0.1)
        with hand.lock:            # what was saved is already on its way up; nothing is saved after this
            _say_done(q)
            os._exit(0)
    threading.Thread(target=on_halt, daemon=True).start()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(part)))) as pool:
        # no list of the futures kept here: as_completed drops each once it is yielded, and its capture with it
        for f in as_completed([pool.submit(run_one, a, job, hand, lambda e: q.put(("event", e))) for a in part]):
            got = f.result()
            if got.name not in hand.handed:          # a collected device went up as soon as it was handed over
                q.put(("outcome", got))
    _say_done(q)


def _say_done(q) -> None:
    q.put(("done", None))
    q.close()
    q.join_thread()
