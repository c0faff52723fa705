"""Collecting many devices at once: worker threads in this process, or forked processes each with their own threads
streaming every device back as soon as it is collected. Ctrl-C keeps what was collected (and everything saved to
raw); the rest is reported as interrupted."""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from scanner.engine import ScanContext, error_asset
from scanner.errors import ReasonCode
from scanner.inventory import InventoryAsset as InvAsset
from scanner.model import Asset


def collector_count(opts, n_assets: int) -> int:
    """Collecting processes: one Python process is bound by its GIL long before the network or the CPUs are (a
    1 000-device scan used 23 s of CPU in 21 s of wall time on 2 cores). 0 = one per CPU from 100 devices."""
    import multiprocessing
    import os
    if opts.collectors == 1 or n_assets < 2:
        return 1
    n = opts.collectors or ((os.cpu_count() or 1) if n_assets >= 100 else 1)
    try:
        multiprocessing.get_context("fork")
    except ValueError:
        return 1
    return max(1, min(n, 8, n_assets))


def collect_in_threads(assets, workers, collect_one, keep, stop, ctx, handed, handed_lock) -> None:
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(assets))))
    futures = {pool.submit(collect_one, a): a for a in assets}
    try:
        for f in as_completed(futures):
            keep(futures[f], future_result(f, futures[f], ctx))
    except KeyboardInterrupt:
        # Ctrl-C: start nothing new, keep everything already collected (saved to raw or not), report the rest as
        # interrupted. Devices still talking are abandoned (their threads end with their timeouts).
        stop.set()
        with handed_lock:           # a save in progress ends first; none starts after
            pool.shutdown(wait=False, cancel_futures=True)
            for f, a in futures.items():
                if f.done() and not f.cancelled():
                    keep(a, future_result(f, a, ctx))
                else:
                    keep(a, handed.get(a.name) or interrupted_asset(a, ctx))
    finally:
        if not stop.is_set():
            pool.shutdown(wait=True)


def interrupted_asset(a: InvAsset, ctx: ScanContext) -> Asset:
    return error_asset(a.name, f"ssh://{a.address}:{a.port}", a.platform, ReasonCode.INTERRUPTED,
                       "scan interrupted before this device was collected", ctx)


def collect_in_processes(assets, shards: int, workers: int, collect_one, keep, emit, stop, ctx, handed,
                          handed_lock) -> None:
    """Split the devices over forked processes, each running its own worker threads, and stream every device's
    capture (or error) back as soon as it is collected; progress events come the same way. Ctrl-C stops the
    children: each stops saving, sends what it saved and says so; the rest is reported as interrupted."""
    import multiprocessing
    import queue as queue_mod
    import signal

    mp = multiprocessing.get_context("fork")
    q = mp.Queue()
    halt = mp.RawValue("b", 0)       # polled, not an mp.Event: setting one blocks on waiters that have exited
    by_name = {a.name: a for a in assets}
    per = max(1, workers // shards)

    def child(part: list) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)          # the parent handles Ctrl-C
        import scanner.live as me
        me._child_queue = q                                     # emit() in this process sends events up

        def on_halt() -> None:
            while not halt.value:
                time.sleep(0.1)
            with handed_lock:            # what was saved is already on its way up; nothing is saved after this
                q.put(("done", None, None))
                q.close()
                q.join_thread()
                os._exit(0)
        threading.Thread(target=on_halt, daemon=True).start()
        with ThreadPoolExecutor(max_workers=max(1, min(per, len(part)))) as pool:
            futures = {pool.submit(collect_one, a): a for a in part}
            for f in as_completed(futures):
                a = futures[f]
                if a.name not in handed:          # a collected device went up as soon as it was saved
                    q.put(("result", a.name, future_result(f, a, ctx)))
        q.put(("done", None, None))
        q.close()
        q.join_thread()

    from scanner.secrets import fingerprint
    fingerprint("")          # the run key exists before forking: --save-raw markers agree across processes
    parts = [assets[i::shards] for i in range(shards)]
    procs = [mp.Process(target=child, args=(part,), daemon=True) for part in parts if part]
    for p in procs:
        p.start()
    pending, running = set(by_name), len(procs)

    def receive(deadline: float | None) -> None:
        nonlocal running
        while running and (deadline is None or time.monotonic() < deadline):
            try:
                kind, name, payload = q.get(timeout=0.5)
            except queue_mod.Empty:
                if not any(p.is_alive() for p in procs):       # a child died without saying done
                    break
                continue
            if kind == "done":
                running -= 1
            elif kind == "event":
                emit(*payload)
            elif name in pending:
                pending.discard(name)
                keep(by_name[name], payload)
    try:
        receive(None)
    except KeyboardInterrupt:
        stop.set()
        halt.value = 1
        receive(time.monotonic() + 5)       # children send what they saved, then stop
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=2)
    for name in sorted(pending):
        a = by_name[name]
        keep(a, interrupted_asset(a, ctx) if stop.is_set() else
             error_asset(a.name, f"ssh://{a.address}:{a.port}", a.platform, ReasonCode.INTERNAL_ERROR,
                         "the collecting process ended before this device was reported", ctx))


def future_result(f, a: InvAsset, ctx: ScanContext) -> Asset:
    try:
        return f.result()
    except Exception as e:  # a bug in one device's path must not lose the others
        return error_asset(a.name, f"ssh://{a.address}:{a.port}", a.platform, ReasonCode.INTERNAL_ERROR,
                           f"{type(e).__name__}: {e}", ctx)
