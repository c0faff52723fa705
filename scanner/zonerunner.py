"""`mlps scan --broker`: the runner (scanner/runner.py) that sends each asset to its zone's collectors.

A zone's tasks are sent once a collector consumes its queue; a zone with none by the deadline gives its assets
`no_collector` (nothing is left queued for them). A zone whose collectors all vanish after its tasks were sent gets
the same deadline to see one come back (its unacknowledged tasks are requeued for it); then the assets still
missing are `no_collector` too. Each answer is checked against the scan id and the asset it was sent for and read,
in memory, by the `--raw` reader's checks with its manifest required (scanner.transport.replay.capture_from_files),
so the assessment is that of a saved capture: a tampered or unsafe answer costs that asset only.

Results: every task names the scan's own result queue (`reply_to`); Celery's `rpc` backend on the collector
publishes the task's result there, and the centre *consumes* that queue (one consumer, results pushed to it as they
come) instead of asking each pending task in turn, so ten thousand tasks cost what one does. Each result is
unpacked, handed over and dropped as it arrives; the centre keeps an (asset, zone)
pair per pending task, nothing else. The queue belongs to one scan (a second scan never reads it); it is not
exclusive, so it and the results in it outlive a dropped connection to the broker (it expires once unused for
RESULTS_EXPIRE_S, and the centre deletes it at the end).
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

from scanner.distributed import TASK, make_app, queue_of, shown_url, task_payload, unpack_files, zone_of
from scanner.errors import ReasonCode
from scanner.runner import AssetEvent, Collected, Handover, interrupted

CHECK_COLLECTORS_S = 1.0
RESULTS_PREFIX = "mlps.results."
RESULTS_EXPIRE_S = 3600           # a result queue nobody consumes any more (a centre that died) goes by itself


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
        app = make_app(self.broker, centre=True)
        hand = Handover(processors, stop.is_set)
        key = os.urandom(16)
        zones: dict[str, _Zone] = {}
        for a in assets:
            zones.setdefault(zone_of(a), _Zone(zone_of(a), [])).assets.append(a)
        pending: dict[str, tuple] = {}            # task id -> (asset, zone)
        with app.connection_for_write() as conn:
            state = _Scan(self, app, conn, job, hand, zones, pending, key)
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
                for asset, _ in list(pending.values()):
                    hand.emit(hand.handed.get(asset.name) or interrupted(job, asset))
                for z in zones.values():
                    if not z.sent:
                        for a in z.assets:
                            hand.emit(interrupted(job, a))


class _Reply:
    """One result off the scan's result queue (Celery's rpc result message: task_id, status, result), read the way
    a Celery AsyncResult reads."""

    def __init__(self, meta: dict) -> None:
        self.status, self.result = meta.get("status"), meta.get("result")

    def successful(self) -> bool:
        return self.status == "SUCCESS"


class _Scan:
    def __init__(self, runner: ZoneRunner, app, conn, job, hand: Handover, zones, pending, key: bytes):
        self.r, self.app, self.conn, self.job, self.hand = runner, app, conn, job, hand
        self.zones, self.pending, self.key = zones, pending, key
        self.started = time.monotonic()
        self.delivered: set[str] = set()
        self.results_queue = RESULTS_PREFIX + runner.scan_id
        self.consumer = None

    def loop(self, stop: threading.Event) -> None:
        last_check, lost = 0.0, None
        from kombu.exceptions import OperationalError
        broker_errors = (OperationalError, *self.conn.connection_errors, *self.conn.channel_errors)
        try:
            while (self.pending or any(not z.sent for z in self.zones.values())) and not stop.is_set():
                now = time.monotonic()
                try:
                    if self.consumer is None:
                        self._consume()
                    if now - last_check >= CHECK_COLLECTORS_S:
                        last_check = now
                        self._check_collectors(now)
                    self._drain(now + CHECK_COLLECTORS_S)
                    lost = None
                except broker_errors as e:     # the broker went away: wait for it as long as for a collector
                    lost = lost or now
                    if now - lost >= self.r.deadline_s:
                        self._give_up(f"lost the broker {shown_url(self.r.broker)} and it did not come back within "
                                      f"{self.r.deadline_s:.0f} s ({type(e).__name__})")
                        return
                    self._reconnect()
        finally:
            self._drop_results_queue()

    def _consume(self) -> None:
        """Declare the scan's result queue (again, after a reconnection: it outlived the old connection) and
        consume it; results are acknowledged once handed over. A message that is not JSON (anyone the broker lets
        publish could send one) is dropped: the tasks it does not answer wait for their own answers."""
        from kombu import Consumer, Queue
        q = Queue(self.results_queue, durable=False, auto_delete=False, expires=RESULTS_EXPIRE_S)
        self.consumer = Consumer(self.conn.channel(), queues=[q], callbacks=[self._on_result], accept=["json"],
                                 prefetch_count=64, on_decode_error=lambda message, exc: message.ack())
        self.consumer.consume()

    def _drain(self, until: float) -> None:
        """Take the results the broker pushes until `until` (a quiet queue: returns then)."""
        if not self.pending:       # nothing sent yet: wait for a collector
            time.sleep(self.r.poll_s)
            return
        while (left := until - time.monotonic()) > 0 and self.pending:
            try:
                self.conn.drain_events(timeout=min(left, 0.5))
            except socket.timeout:
                return

    def _reconnect(self) -> None:
        self.consumer = None
        time.sleep(1)
        try:
            self.conn.ensure_connection(max_retries=1)
        except Exception:          # still gone: the loop counts the time
            pass

    def _drop_results_queue(self) -> None:
        try:
            if self.consumer is not None:
                self.consumer.queues[0](self.conn.default_channel).delete()
        except Exception:          # a broker already gone: the queue expires by itself (RESULTS_EXPIRE_S)
            pass

    def _on_result(self, body, message) -> None:
        meta = body if isinstance(body, dict) else {}
        got = self.pending.pop(str(meta.get("task_id")), None)
        if got is not None:        # a result of this scan's task not yet delivered (a redelivered task answers twice)
            asset, z = got
            try:
                outcome = self._outcome(asset, _Reply(meta))
            except Exception as e:     # a bug on one answer's path must not lose the others
                outcome = self.job.failed(asset, ReasonCode.INTERNAL_ERROR, f"{type(e).__name__}: {e}")
            self._deliver(asset, z, outcome)
        message.ack()

    def _give_up(self, why: str) -> None:
        """Every device not delivered yet: no_collector, with why."""
        for tid, (asset, z) in list(self.pending.items()):
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
            # through the zone's own exchange (not the nameless one): what is sent to a zone can be audited; the
            # message's readable summary (argsrepr, shown by monitoring tools) names the asset only: Celery's default
            # repr of the payload would repeat its credential references and options, and cost a repr per task
            res = self.app.send_task(TASK, args=[body], queue=q, exchange=q, routing_key=q,
                                     reply_to=self.results_queue, argsrepr=repr((a.name,)), kwargsrepr="{}")
            self.pending[res.id] = (a, z)
            self.hand.emit(AssetEvent(a.name, "collecting", f"zone {z.name}"))
        z.sent = True
        self.hand.emit(AssetEvent("*", "zone", f"{z.name}: {len(z.assets)} task(s) sent to {queue_of(z.name)}"))

    def _no_collector(self, z: _Zone) -> None:
        why = (f"no collector consumed queue {queue_of(z.name)} within {self.r.deadline_s:.0f} s"
               if not z.sent else f"the collectors of zone {z.name} left and none came back within "
               f"{self.r.deadline_s:.0f} s")
        waiting = z.assets if not z.sent else [a for a, zz in self.pending.values() if zz is z]
        for tid in [t for t, (_, zz) in self.pending.items() if zz is z]:
            del self.pending[tid]
        z.sent = True
        for a in waiting:
            self._deliver(a, z, self.job.failed(a, ReasonCode.NO_COLLECTOR, why))

    def _outcome(self, asset, res):
        if not res.successful():
            return self.job.failed(asset, ReasonCode.INTERNAL_ERROR, f"the collector's task failed: "
                                   f"{_failure_text(res.result)[:200]}")
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
        from scanner.transport.replay import RawFormatError, capture_from_files, safe_name
        try:                       # verified in memory like a saved folder (manifest required): no disk detour
            cap = capture_from_files(unpack_files(body["files"]), safe_name(asset.name))
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
        self.hand.handed.pop(asset.name, None)      # delivered: the runner need not keep it for Ctrl-C
        self.hand.emit(AssetEvent("*", "zone", f"{z.name}: {z.done}/{len(z.assets)}"))


def _failure_text(exc) -> str:
    """A failed task's exception as Celery's JSON result carries it ({exc_type, exc_message}), never rebuilt as an
    object from what the wire names."""
    if isinstance(exc, dict):
        msg = exc.get("exc_message")
        msg = " ".join(map(str, msg)) if isinstance(msg, (list, tuple)) else str(msg or "")
        return f"{str(exc.get('exc_type', 'Error'))[:80]}: {msg}"
    return f"{type(exc).__name__}: {exc}"
