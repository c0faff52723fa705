"""SNMP (pysnmp 7, asyncio hlapi) — the only module that imports pysnmp.

Read-only GET/GETBULK of the system group, the entity MIB (model, serial, firmware) and the interface table;
numeric OIDs only (pysnmp bundles few MIBs, and MIB lookups cost ~0.8 s). The result is plain YAML-able data, so
it is saved with --save-raw and rescanned offline like any other output.
"""
from __future__ import annotations

import asyncio
import atexit
import threading
from dataclasses import dataclass

from scanner.transport.ssh import CollectError

SYS = {"sys_descr": "1.3.6.1.2.1.1.1.0", "sys_object_id": "1.3.6.1.2.1.1.2.0", "sys_name": "1.3.6.1.2.1.1.5.0"}
TABLES = {
    "if_descr": "1.3.6.1.2.1.2.2.1.2", "if_type": "1.3.6.1.2.1.2.2.1.3", "if_admin": "1.3.6.1.2.1.2.2.1.7",
    "if_oper": "1.3.6.1.2.1.2.2.1.8",
    "ent_class": "1.3.6.1.2.1.47.1.1.1.1.5", "ent_software": "1.3.6.1.2.1.47.1.1.1.1.10",
    "ent_serial": "1.3.6.1.2.1.47.1.1.1.1.11", "ent_model": "1.3.6.1.2.1.47.1.1.1.1.13",
}
DEFAULT_COMMUNITIES = ("public", "private")


@dataclass(frozen=True, slots=True)
class SnmpAuth:
    version: str                 # v2c / v3
    community: str | None = None
    username: str | None = None
    auth_protocol: str = "sha"
    auth_key: str | None = None
    priv_protocol: str = "aes"
    priv_key: str | None = None
    context: str = ""


def _auth_data(a: SnmpAuth):
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData, UsmUserData, usm3DESEDEPrivProtocol, usmAesCfb128Protocol, usmAesCfb256Protocol,
        usmDESPrivProtocol, usmHMAC192SHA256AuthProtocol, usmHMAC384SHA512AuthProtocol, usmHMACMD5AuthProtocol,
        usmHMACSHAAuthProtocol)
    if a.version == "v2c":
        return CommunityData(a.community or "", mpModel=1)
    auth = {"sha": usmHMACSHAAuthProtocol, "sha256": usmHMAC192SHA256AuthProtocol,
            "sha512": usmHMAC384SHA512AuthProtocol, "md5": usmHMACMD5AuthProtocol}[a.auth_protocol]
    priv = {"aes": usmAesCfb128Protocol, "aes128": usmAesCfb128Protocol, "aes256": usmAesCfb256Protocol,
            "des": usmDESPrivProtocol, "3des": usm3DESEDEPrivProtocol}[a.priv_protocol]
    return UsmUserData(a.username or "", authKey=a.auth_key, privKey=a.priv_key, authProtocol=auth,
                       privProtocol=priv)


class _NoMibCompiler:
    """Numeric OIDs only: never compile or download MIBs. Without this, every SnmpEngine gets a pysmi compiler
    (about 1 s of CPU to build its parser when pysmi is installed) whose default sources include a web site."""

    def compile(self, *names, **options) -> dict:
        return {}


def _engine():
    from pysnmp.hlapi.v3arch.asyncio import SnmpEngine
    eng = SnmpEngine()
    builder = eng.get_mib_builder()
    builder.set_mib_compiler(_NoMibCompiler(), _EMPTY_MIB_DIR)
    return eng


_EMPTY_MIB_DIR = str(__import__("pathlib").Path(__file__).resolve().parent / "_no_mibs")


class _SnmpService:
    """One asyncio loop and one SNMP engine in a background thread, shared by every worker.

    Building an engine costs ~70-230 ms of CPU (pysnmp compiles its MIB modules), and the queries are I/O-bound:
    worker threads hand their coroutines to this loop instead of each building an engine of its own.
    """

    _lock = threading.Lock()
    _instance: _SnmpService | None = None

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.engine = _engine()
        self.thread = threading.Thread(target=self.loop.run_forever, name="mlps-snmp", daemon=True)
        self.thread.start()
        atexit.register(self.close)

    @classmethod
    def get(cls) -> _SnmpService:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def run(self, coro_fn, timeout: float):
        fut = asyncio.run_coroutine_threadsafe(coro_fn(self.engine), self.loop)
        return fut.result(timeout=timeout)

    def close(self) -> None:
        async def stop() -> None:
            self.engine.close_dispatcher()
            for t in asyncio.all_tasks():
                if t is not asyncio.current_task():
                    t.cancel()
        try:
            asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=2)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=2)


def _run(coro_fn, timeout: float = 120.0):
    return _SnmpService.get().run(coro_fn, timeout)


async def _query(eng, host: str, port: int, auth: SnmpAuth, timeout: float, tables: bool, retries: int = 1) -> dict:
    from pysnmp.hlapi.v3arch.asyncio import (
        ContextData, ObjectIdentity, ObjectType, UdpTransportTarget, bulk_cmd, get_cmd)
    if True:
        target = await UdpTransportTarget.create((host, port), timeout=timeout, retries=retries)
        ctx = ContextData(contextName=auth.context.encode()) if auth.context else ContextData()
        data = _auth_data(auth)
        ei, es, _, vbs = await get_cmd(eng, data, target, ctx, *[ObjectType(ObjectIdentity(o)) for o in SYS.values()],
                                       lookupMib=False)
        if ei:
            raise CollectError("snmp_error", f"SNMP: {ei}")
        if es:
            raise CollectError("snmp_error", f"SNMP error status: {es.prettyPrint()}")
        out: dict = {k: _plain(v) for k, (_, v) in zip(SYS, vbs)}
        if not tables:
            return out
        # Walk the columns of one table together: one GETBULK stream per table instead of one per column.
        for group in (("if_descr", "if_type", "if_admin", "if_oper"),
                      ("ent_class", "ent_software", "ent_serial", "ent_model")):
            await _walk_columns(eng, data, target, ctx, group, out, bulk_cmd, ObjectType, ObjectIdentity)
        return out


async def _walk_columns(eng, data, target, ctx, group, out, bulk_cmd, ObjectType, ObjectIdentity) -> None:
    for key in group:
        out[key] = {}
    current = {k: TABLES[k] for k in group}
    active = list(group)
    for _ in range(200):                          # bounded: 200 x 25 rows per column at most
        if not active:
            return
        ei, es, _, vbs = await bulk_cmd(eng, data, target, ctx, 0, 25,
                                        *[ObjectType(ObjectIdentity(current[k])) for k in active], lookupMib=False)
        if ei or es or not vbs:
            return
        done: set[str] = set()
        for j, (name, value) in enumerate(vbs):
            key = active[j % len(active)]
            if key in done:
                continue
            oid, base = str(name), TABLES[key] + "."
            if not oid.startswith(base) or type(value).__name__ in ("EndOfMibView", "NoSuchObject", "NoSuchInstance"):
                done.add(key)
                continue
            out[key][oid[len(base):]] = _plain(value)
            current[key] = oid
        active = [k for k in active if k not in done]


def _plain(v) -> object:
    cls = type(v).__name__
    if cls in ("Integer", "Integer32", "Counter32", "Gauge32", "TimeTicks", "Unsigned32", "Counter64"):
        return int(v)
    if cls == "ObjectIdentifier":
        return str(v)
    try:
        b = bytes(v)
        return b.decode("utf-8") if _printable(b) else b.hex()
    except (TypeError, ValueError):
        return str(v)


def _printable(b: bytes) -> bool:
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in s)


def collect_snmp(host: str, port: int, auth: SnmpAuth, timeout: float = 2.0) -> dict:
    """System, entity and interface data; raises CollectError (never including a community or key)."""
    try:
        return _run(lambda eng: _query(eng, host, port, auth, timeout, tables=True))
    except CollectError:
        raise
    except Exception as e:  # pysnmp raises a variety of errors for bad keys, timeouts and transports
        raise CollectError("snmp_error", f"SNMP: {type(e).__name__}") from None


def default_community_answers(host: str, port: int, timeout: float = 0.5) -> list[str]:
    """Which well-known v2c communities the agent answers (a finding for 入侵防范 b / 身份鉴别); probed at once."""
    async def probe(eng, c: str) -> str | None:
        try:
            await _query(eng, host, port, SnmpAuth("v2c", community=c), timeout, tables=False, retries=0)
            return c
        except Exception:
            return None

    async def all_probes(eng) -> list[str | None]:
        return list(await asyncio.gather(*(probe(eng, c) for c in DEFAULT_COMMUNITIES)))
    return [c for c in _run(all_probes) if c]
