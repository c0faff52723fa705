"""`mlps scan --broker`: the runner (scanner/runner.py) that sends each asset to its zone's collectors.

A zone's tasks are sent once a collector consumes its queue; a zone with none by the deadline gives its assets
`no_collector` (nothing is left queued for them). A zone whose collectors all vanish after its tasks were sent gets
the same deadline to see one come back (its unacknowledged tasks are requeued for it); then the assets still
missing are `no_collector` too. Each answer is checked against the scan id and the asset it was sent for, written
as a capture folder and read back by the `--raw` reader with its manifest required, so the assessment is that of a
saved capture: a tampered or unsafe answer costs that asset only.
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from scanner.distributed import TASK, make_app, queue_of, shown_url, task_payload, unpack_files, zone_of
from scanner.errors import ReasonCode
from scanner.runner import AssetEvent, Collected, Handover, interrupted

CHECK_COLLECTORS_S = 1.0


@dataclass
class _Zone:
    name: str
    assets: list
    sent: bool = False
    seen_at: float = 0.0          # last time a collector consumed its queue
    done: int = 0


@dataclass
class ZoneRunner:
    broker: str                   # with its password already put in (scanner.distributed.broker_url)
    deadline_s: float = 60.0
    poll_s: float = 0.1
    scan_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def run(self, assets, job, processors, stop: threading.Event) -> None:
        app = make_app(self.broker)
        hand = Handover(processors, stop.is_set)
        key = os.urandom(16)
        zones: dict[str, _Zone] = {}
        for a in assets:
            zones.setdefault(zone_of(a), _Zone(zone_of(a), [])).assets.append(a)
        pending: dict[str, tuple] = {}            # task id -> (asset, zone, AsyncResult)
        with tempfile.TemporaryDirectory(prefix="mlps-centre-") as tmp, app.connection_for_write() as conn:
            state = _Scan(self, app, conn, job, hand, zones, pending, Path(tmp), key)
            try:
                conn.ensure_connection(max_retries=2, interval_start=1, interval_step=1)
            except Exception as e:           # unreachable, refused, wrong password: no zone has a collector
                why = f"the broker {shown_url(self.broker)} cannot be used: {type(e).__name__}: {str(e)[:200]}"
                for a in assets:
                    hand.emit(AssetEvent(a.name, "failed", ReasonCode.NO_COLLECTOR))
                    hand.emit(job.failed(a, ReasonCode.NO_COLLECTOR, why.replace(self.broker, shown_url(self.broker))))
                return
            try:
                state.loop(stop)
            except KeyboardInterrupt:
                stop.set()
                for asset, _, _ in list(pending.values()):
                    hand.emit(hand.handed.get(asset.name) or interrupted(job, asset))
                for z in zones.values():
                    if not z.sent:
                        for a in z.assets:
                            hand.emit(interrupted(job, a))


class _Scan:
    def __init__(self, runner: ZoneRunner, app, conn, job, hand: Handover, zones, pending, tmp: Path, key: bytes):
        self.r, self.app, self.conn, self.job, self.hand = runner, app, conn, job, hand
        self.zones, self.pending, self.tmp, self.key = zones, pending, tmp, key
        self.started = time.monotonic()
        self.delivered: set[str] = set()

    def loop(self, stop: threading.Event) -> None:
        last_check, lost = 0.0, None
        from kombu.exceptions import OperationalError
        broker_errors = (OperationalError, *self.conn.connection_errors, *self.conn.channel_errors)
        while (self.pending or any(not z.sent for z in self.zones.values())) and not stop.is_set():
            now = time.monotonic()
            try:
                if now - last_check >= CHECK_COLLECTORS_S:
                    last_check = now
                    self._check_collectors(now)
                got = self._receive()
                lost = None
            except broker_errors as e:     # the broker went away: wait for it as long as for a collector
                lost = lost or now
                if now - lost >= self.r.deadline_s:
                    self._give_up(f"lost the broker {shown_url(self.r.broker)} and it did not come back within "
                                  f"{self.r.deadline_s:.0f} s ({type(e).__name__})")
                    return
                self._reconnect()
                continue
            if not got:
                time.sleep(self.r.poll_s)

    def _reconnect(self) -> None:
        time.sleep(1)
        try:
            self.conn.ensure_connection(max_retries=1)
        except Exception:          # still gone: the loop counts the time
            pass

    def _give_up(self, why: str) -> None:
        """Every device not delivered yet: no_collector, with why."""
        for tid, (asset, z, _) in list(self.pending.items()):
            del self.pending[tid]
            self._deliver(asset, z, self.job.failed(asset, ReasonCode.NO_COLLECTOR, why))
        for z in self.zones.values():
            if not z.sent:
                z.sent = True
                for a in z.assets:
                    self._deliver(a, z, self.job.failed(a, ReasonCode.NO_COLLECTOR, why))

    def _consumers(self, zone: str) -> int:
        from kombu import Exchange, Queue
        q = queue_of(zone)
        ch = self.conn.default_channel
        return Queue(q, Exchange(q), routing_key=q)(ch).queue_declare()[2]

    def _check_collectors(self, now: float) -> None:
        for z in self.zones.values():
            if z.sent and z.done == len(z.assets):
                continue
            if self._consumers(z.name) > 0:
                z.seen_at = now
                if not z.sent:
                    self._send(z)
            elif now - max(z.seen_at, self.started) >= self.r.deadline_s:
                self._no_collector(z)

    def _send(self, z: _Zone) -> None:
        opts, q = self.job.opts, queue_of(z.name)
        for a in z.assets:
            body = task_payload(a, self.job.inv, opts, self.r.scan_id, self.key)
            # through the zone's own exchange (not the nameless one): what is sent to a zone can be audited
            res = self.app.send_task(TASK, args=[body], queue=q, exchange=q, routing_key=q)
            self.pending[res.id] = (a, z, res)
            self.hand.emit(AssetEvent(a.name, "collecting", f"zone {z.name}"))
        z.sent = True
        self.hand.emit(AssetEvent("*", "zone", f"{z.name}: {len(z.assets)} task(s) sent to {queue_of(z.name)}"))

    def _no_collector(self, z: _Zone) -> None:
        why = (f"no collector consumed queue {queue_of(z.name)} within {self.r.deadline_s:.0f} s"
               if not z.sent else f"the collectors of zone {z.name} left and none came back within "
               f"{self.r.deadline_s:.0f} s")
        waiting = z.assets if not z.sent else [a for a, zz, _ in self.pending.values() if zz is z]
        for tid in [t for t, (_, zz, _) in self.pending.items() if zz is z]:
            del self.pending[tid]
        z.sent = True
        for a in waiting:
            self._deliver(a, z, self.job.failed(a, ReasonCode.NO_COLLECTOR, why))

    def _receive(self) -> bool:
        got = False
        for tid, (asset, z, res) in list(self.pending.items()):
            if not res.ready():
                continue
            got = True
            del self.pending[tid]
            self._deliver(asset, z, self._outcome(asset, res))
        return got

    def _outcome(self, asset, res):
        if not res.successful():
            return self.job.failed(asset, ReasonCode.INTERNAL_ERROR, f"the collector's task failed: "
                                   f"{type(res.result).__name__}: {str(res.result)[:200]}")
        body = res.result
        if not isinstance(body, dict) or body.get("name") != asset.name:
            return self.job.failed(asset, ReasonCode.INTERNAL_ERROR, "the collector answered for another asset")
        if "files" not in body:
            code = body.get("code")
            code = code if code in ReasonCode._value2member_map_ else ReasonCode.INTERNAL_ERROR
            return self.job.failed(asset, ReasonCode(code), str(body.get("message", ""))[:500])
        if body.get("scan") != self.r.scan_id:
            return self.job.failed(asset, ReasonCode.INTERNAL_ERROR, "the collector answered for another scan")
        return self._collected(asset, body)

    def _collected(self, asset, body: dict):
        from scanner.transport.replay import RawFormatError, read_capture, safe_name
        d = self.tmp / safe_name(asset.name)
        d.mkdir(mode=0o700)
        try:
            unpack_files(body["files"], d)
            cap = read_capture(d, require_manifest=True)
        except RawFormatError as e:
            return self.job.failed(asset, e.code, f"the collector's capture: {e}")
        if cap.name != asset.name:
            return self.job.failed(asset, ReasonCode.CAPTURE_TAMPERED, "the capture names another asset")
        done = Collected(asset.name, cap, f"ssh://{asset.address}:{asset.port}")
        return self.hand.hand_over(done, self.job, asset)

    def _deliver(self, asset, z: _Zone, outcome) -> None:
        if asset.name in self.delivered:           # one outcome per asset, whatever was redelivered
            return
        self.delivered.add(asset.name)
        z.done += 1
        if not isinstance(outcome, Collected):
            self.hand.emit(AssetEvent(asset.name, "failed", str(outcome.asset.reason_code or "")))
        self.hand.emit(outcome)
        self.hand.emit(AssetEvent("*", "zone", f"{z.name}: {z.done}/{len(z.assets)}"))
