"""SNMP (pysnmp 7, asyncio hlapi) — the only module that imports pysnmp.

Read-only GET/GETBULK of the system group, the entity MIB (model, serial, firmware) and the interface table;
numeric OIDs only (pysnmp bundles few MIBs, and MIB lookups cost ~0.8 s). The result is plain YAML-able data, so
it is saved with --save-raw and rescanned offline like any other output.
"""
from __future__ import annotations

import asyncio
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


async def _query(host: str, port: int, auth: SnmpAuth, timeout: float, tables: bool, retries: int = 1) -> dict:
    from pysnmp.hlapi.v3arch.asyncio import (
        ContextData, ObjectIdentity, ObjectType, UdpTransportTarget, bulk_walk_cmd, get_cmd)
    eng = _engine()
    try:
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
        for key, base in TABLES.items():
            rows: dict[str, object] = {}
            async for ei, es, _, vbs in bulk_walk_cmd(eng, data, target, ctx, 0, 25, ObjectType(ObjectIdentity(base)),
                                                      lookupMib=False, lexicographicMode=False):
                if ei or es:
                    break
                for name, value in vbs:
                    rows[str(name)[len(base) + 1:]] = _plain(value)
            out[key] = rows
        return out
    finally:
        eng.close_dispatcher()


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
        return asyncio.run(_query(host, port, auth, timeout, tables=True))
    except CollectError:
        raise
    except Exception as e:  # pysnmp raises a variety of errors for bad keys, timeouts and transports
        raise CollectError("snmp_error", f"SNMP: {type(e).__name__}") from None


def default_community_answers(host: str, port: int, timeout: float = 0.5) -> list[str]:
    """Which well-known v2c communities the agent answers (a finding for 入侵防范 b / 身份鉴别); probed at once."""
    async def probe(c: str) -> str | None:
        try:
            await _query(host, port, SnmpAuth("v2c", community=c), timeout, tables=False, retries=0)
            return c
        except Exception:
            return None

    async def all_probes() -> list[str | None]:
        return list(await asyncio.gather(*(probe(c) for c in DEFAULT_COMMUNITIES)))
    return [c for c in asyncio.run(all_probes()) if c]
