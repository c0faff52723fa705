"""The assessment pool of a large live scan: forked before collection, fed as devices are collected, it holds only
the captures not yet assessed (a bound, so a 10 000-device scan does not keep 10 000 configurations) and gives the
same assets as assessing in this process."""
from __future__ import annotations

import pytest

from scanner.assessment import PENDING_PER_PROCESS, AssessPool, Assessment, assess_here
from scanner.runner import Collected
from scanner.transport.replay import Capture, capture_dirs, read_capture
from tests.conftest import ROOT

RAW = ROOT / "scanner" / "lab" / "data" / "raw"


def _jobs(copies: int) -> dict[str, tuple[Capture, str]]:
    caps = [read_capture(d) for d in capture_dirs(RAW)]
    return {f"{c.name}-{i}": (c, f"ssh://{c.name}/{i}") for i in range(copies) for c in caps}


def _same(a, b) -> bool:
    x, y = a.model_dump(), b.model_dump()
    return x == y


def test_the_pool_holds_at_most_its_bound_and_equals_in_process(ctx):
    jobs = _jobs(6)                                       # 11 lab devices x 6 = 66 captures, 2 processes
    pool = AssessPool.start(ctx, 2)
    assert pool is not None
    for name, (cap, source) in jobs.items():
        pool.submit(name, cap, source)
        assert len(pool.pending) <= 2 * PENDING_PER_PROCESS
    out = pool.close(120)
    assert set(out) == set(jobs)
    assert 1 <= pool.peak <= 2 * PENDING_PER_PROCESS
    assert not pool.pending and not any(p.is_alive() for p in pool.procs)
    for name, (cap, source) in list(jobs.items())[:22]:
        assert _same(out[name], assess_here(name, cap, source, ctx)), name


def test_a_capture_that_breaks_in_the_pool_costs_only_itself(ctx):
    good = read_capture(RAW / "core-sw1")
    bad = Capture("bad", "no_such_platform", "127.0.0.1:22", {"config": "x"}, {"config": "display"})
    a = Assessment()
    a.start(ctx, 2, 3)
    assert a.pool is not None
    for name, cap in (("good", good), ("bad", bad), ("good2", good)):
        a.on_event(Collected(name, cap, f"ssh://{name}"))
    events = []
    out = a.assess(ctx, 2, events.append, parallel=True)
    assert {k: (v.status.value, v.reason_code) for k, v in out.items()} == {
        "good": ("assessed", None), "good2": ("assessed", None), "bad": ("error", "internal_error")}
    assert [(e.name, e.state) for e in events] == [("good", "assessed"), ("bad", "not assessed"),
                                                   ("good2", "assessed")]


def test_when_the_pool_dies_what_it_held_is_assessed_here(ctx):
    jobs = _jobs(2)
    pool = AssessPool.start(ctx, 2)
    for p in pool.procs:
        p.kill()
        p.join(5)
    for name, (cap, source) in jobs.items():
        pool.submit(name, cap, source)          # never blocks for ever: the children are seen gone
    out = pool.close(5)
    assert set(out) == set(jobs)
    assert all(v.status.value == "assessed" for v in out.values())


@pytest.mark.parametrize("n_assets, processes, pooled", [(31, 0, False), (32, 0, True), (2, 2, True), (5, 1, False)])
def test_which_scans_assess_in_a_pool(ctx, n_assets, processes, pooled):
    import os
    a = Assessment()
    a.start(ctx, processes, n_assets)
    try:
        assert (a.pool is not None) == (pooled and (processes or os.cpu_count() or 1) > 1)
    finally:
        if a.pool is not None:
            a.pool.close(5)


def test_a_process_whose_pool_died_still_exits(tmp_path):
    """Captures buffered for children that are gone must not keep the process from exiting (multiprocessing's exit
    handler joins each queue's feeder thread: before the fix, pytest hung after printing its summary)."""
    import subprocess
    import sys
    script = (
        "from scanner.engine import ScanContext\n"
        "from scanner.assessment import AssessPool\n"
        "from scanner.transport.replay import capture_dirs, read_capture\n"
        "from pathlib import Path\n"
        f"caps = [read_capture(d) for d in capture_dirs(Path({str(RAW)!r}))]\n"
        "ctx = ScanContext.default()\n"
        "pool = AssessPool.start(ctx, 2)\n"
        "for p in pool.procs:\n    p.kill(); p.join(5)\n"
        "for i, c in enumerate(caps * 3):\n    pool.tasks.put((f'{c.name}-{i}', c, 'x'))\n"
        "out = pool.close(2)\n"
        "print('closed')\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "closed" in done.stdout, done.stderr[-2000:]


def _gc_state_in_a_forked_child(before) -> tuple:
    import gc
    import multiprocessing
    mp = multiprocessing.get_context("fork")
    q = mp.Queue()

    def child() -> None:
        before()
        q.put((gc.get_threshold()[0], gc.get_freeze_count()))
    p = mp.Process(target=child)
    p.start()
    got = q.get(timeout=30)
    p.join(timeout=5)
    return got


def test_forked_collecting_and_assessing_processes_collect_garbage_less_often():
    # parsing keeps ~14 000 objects alive per device: at Python's 700 the collector re-traverses them ~20 times
    # (15-20 % of the assessment's CPU); what the child inherits is frozen out of every pass
    from scanner.collectors import GC_GEN0, bulk_gc, forked_gc
    threshold, frozen = _gc_state_in_a_forked_child(forked_gc)
    assert threshold == GC_GEN0 > 700 and frozen > 1000
    import gc
    old = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_gc():
        assert gc.get_threshold()[0] == GC_GEN0
        raise RuntimeError
    assert gc.get_threshold() == old           # the scan's process gets its own thresholds back
