"""Saved raw outputs: the folder format `--save-raw` writes, `--raw` scans and the lab simulator serves.

    RAW/<folder>/device.yaml     name, platform, address, collected_at, and per logical output:
                                 {command, file, status: ok | rejected | error, message}
    RAW/<folder>/<output>.txt    the output, secrets replaced by MLPS-REDACTED markers
    RAW/<folder>/manifest.json   SHA-256 of every other file of the folder, who collected it, when, with what

<folder> is the asset name when that is a safe file name on every system, else a cleaned-up name plus a hash of
the real one (so distinct names never share a folder); the real name is in device.yaml. Folders are 0700, files
0600 whatever the umask: a capture is evidence about production devices.

The manifest is per device, not one for the whole folder: a device folder is self-contained evidence that can be
handed over alone, collectors on several hosts (or forked collecting processes) write their devices without
sharing a file, and a tampered device costs that device only. It makes a capture tamper-evident, not
tamper-proof: whoever can rewrite the files can rewrite the hashes, so the report records each manifest's own
SHA-256 (`capture.manifest_sha256` in scan.json) to pin the evidence an assessment used.

Reading never leaves a capture folder: a file entry is a plain file name of that folder, and what it resolves to
(symlinks followed) must be a regular file inside it, read up to a size limit.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import yaml
from scanner.errors import ReasonCode, ScanError
from scanner.safeio import write_private
from scanner.textio import UnreadableInput, dump_yaml, load_yaml, read_bounded

DEVICE_FILE = "device.yaml"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = "mlps-raw-manifest/1"
MAX_OUTPUT_BYTES = 128 * 1024 * 1024     # above the live output cap: a saved output is never refused for its size
MAX_META_BYTES = 4 * 1024 * 1024


class RawFormatError(ScanError):
    """A capture folder that cannot be assessed; `code` is the asset's reason code."""

    def __init__(self, message: str, code: ReasonCode = ReasonCode.RAW_FORMAT):
        super().__init__(code, message)


@dataclass(frozen=True, slots=True)
class Collector:
    """Who wrote a capture: a distributed collector passes its own id."""
    id: str
    host: str
    user: str

    @classmethod
    def local(cls) -> Collector:
        return _local_collector()


@cache
def _local_collector() -> Collector:
    import getpass
    import socket
    try:
        user = getpass.getuser()
    except (KeyError, OSError):               # no passwd entry and no LOGNAME (some containers)
        user = f"uid{os.getuid()}"
    host = socket.gethostname()
    return Collector(f"{user}@{host}", host, user)


@dataclass(frozen=True, slots=True)
class Provenance:
    """What `--raw` established about a capture: verified against its manifest, or unverified (none)."""
    integrity: str                       # verified | unverified
    manifest_sha256: str | None = None
    collector: str | None = None
    tool_version: str | None = None
    written_at: str | None = None


@dataclass(slots=True)
class Capture:
    name: str
    platform: str
    address: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)     # logical name -> text
    commands: dict[str, str] = field(default_factory=dict)    # logical name -> command sent
    status: dict[str, str] = field(default_factory=dict)      # logical name -> ok | rejected | error
    messages: dict[str, str] = field(default_factory=dict)
    collected_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    provenance: Provenance | None = None                      # set by read_capture
    # what the inventory said of the asset (zone, role, importance, redundancy_group, exposure): a rescan of the
    # capture judges it in the same context (the exposure decides high risks)
    context: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- folder names

_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                    *(f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "\u00b9", "\u00b2", "\u00b3"])}
_MAX_NAME_BYTES = 100


def _char_ok(c: str) -> bool:
    return c in "._-" or unicodedata.category(c)[0] in "LNM"


def _is_safe(name: str) -> bool:
    return (0 < len(name.encode("utf-8", "surrogatepass")) <= _MAX_NAME_BYTES and name[0] not in "._-"
            and name[-1] != "." and unicodedata.normalize("NFC", name) == name and all(map(_char_ok, name))
            and name.split(".")[0].upper() not in _WINDOWS_DEVICES)


def safe_name(name: str) -> str:
    """A folder name for an asset: the name itself when it is safe everywhere (letters, digits, `._-`; no leading
    dot or dash, no trailing dot, no Windows device name, NFC, at most 100 bytes), else the name cleaned up plus
    `~` and a hash of the real name. `~` never occurs in a safe name, so the two kinds never collide."""
    if _is_safe(name):
        return name
    cleaned = "".join(c if _char_ok(c) else "_" for c in unicodedata.normalize("NFC", name)).lstrip("._-")
    while len(cleaned.encode("utf-8", "surrogatepass")) > 60:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip(".") or "asset"
    if cleaned.split(".")[0].upper() in _WINDOWS_DEVICES:
        cleaned = "_" + cleaned
    return f"{cleaned}~{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


# ---------------------------------------------------------------------------------------------- writing

@cache
def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("mlps-scanner")
    except PackageNotFoundError:
        from scanner import __version__
        return __version__


def write_capture(root: Path, cap: Capture, collector: Collector | None = None) -> Path:
    """Write one device's capture under root (created 0700) with its manifest; returns the device's folder."""
    root.parent.mkdir(parents=True, exist_ok=True)
    _private_dir(root, chmod_existing=False)      # an existing root is the user's: its mode is left alone
    d = root / safe_name(cap.name)
    _private_dir(d, chmod_existing=True)
    (d / MANIFEST_FILE).unlink(missing_ok=True)   # a re-save cut short must not look verified
    files = capture_files(cap, collector)
    manifest = files.pop(MANIFEST_FILE)
    for old in d.iterdir():                       # outputs of an earlier save that this one does not have
        if old.suffix == ".txt" and old.name not in files and (old.is_symlink() or old.is_file()):
            old.unlink()
    for name, data in files.items():
        write_private(d / name, data)
    write_private(d / MANIFEST_FILE, manifest)    # last: a folder is verified only once every file is written
    return d


def capture_files(cap: Capture, collector: Collector | None = None) -> dict[str, bytes]:
    """A capture folder's files by name, its manifest included, in memory: what write_capture writes and what a
    zone collector sends (scanner/zoneworker.py) without a detour through the disk."""
    meta = {"name": cap.name, "platform": cap.platform, "address": cap.address, "collected_at": cap.collected_at,
            **({"context": dict(cap.context)} if cap.context else {}), "outputs": {}}
    files: dict[str, bytes] = {}
    for logical, command in cap.commands.items():
        entry = {"command": command, "status": cap.status.get(logical, "ok")}
        if logical in cap.outputs:
            entry["file"] = f"{safe_name(logical)}.txt"
            files[entry["file"]] = cap.outputs[logical].encode("utf-8", "surrogateescape")
        if logical in cap.messages:
            entry["message"] = cap.messages[logical]
        meta["outputs"][logical] = entry
    files[DEVICE_FILE] = dump_yaml(meta, sort_keys=False).encode("utf-8")
    who = collector or Collector.local()
    manifest = {"format": MANIFEST_FORMAT, "asset": cap.name, "tool": "mlps-scanner", "tool_version": tool_version(),
                "collector": {"id": who.id, "host": who.host, "user": who.user}, "collected_at": cap.collected_at,
                "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "algorithm": "sha256",
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    files[MANIFEST_FILE] = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    return files


def _private_dir(d: Path, chmod_existing: bool) -> None:
    try:
        os.mkdir(d, 0o700)
    except FileExistsError:
        if d.is_symlink() or not d.is_dir():
            raise RawFormatError(f"{d}: exists and is not a folder (a symlink or a file): not written",
                                 ReasonCode.UNSAFE_PATH) from None
        if not chmod_existing:
            return
    os.chmod(d, 0o700)                            # mkdir's mode went through the umask


# ---------------------------------------------------------------------------------------------- reading

CONTEXT_KEYS = ("zone", "role", "importance", "redundancy_group", "exposure")


def _context(d: Path | str, ctx) -> dict[str, str]:
    """The inventory context saved with a capture: only known keys, short printable text, a known exposure."""
    from scanner.addresses import printable_name
    from scanner.zones import EXPOSURES
    if ctx is None:
        return {}
    if not isinstance(ctx, dict) or any(k not in CONTEXT_KEYS or not isinstance(v, str) for k, v in ctx.items()):
        raise RawFormatError(f"{d}: {DEVICE_FILE}: context: a mapping of {', '.join(CONTEXT_KEYS)} to text")
    if ctx.get("exposure") not in (None, *EXPOSURES):
        raise RawFormatError(f"{d}: {DEVICE_FILE}: context.exposure: one of {', '.join(EXPOSURES)}")
    try:
        return {k: printable_name(v) for k, v in ctx.items()}
    except ValueError as e:
        raise RawFormatError(f"{d}: {DEVICE_FILE}: context: {e}") from None


def read_capture(d: Path, require_manifest: bool = False) -> Capture:
    """Read a capture folder, verified against its manifest when it has one.

    Raises RawFormatError with code capture_tampered (a file differs from the manifest, is missing, or is not
    in it), capture_unverified (no manifest and require_manifest), unsafe_path (an entry pointing outside the
    folder), not_a_file / too_large / read_error (what an entry names cannot be read), or raw_format.
    """
    try:
        blobs, provenance = _verified_files(d)
        if provenance.integrity != "verified" and require_manifest:
            raise RawFormatError(f"{d}: no {MANIFEST_FILE}: the capture cannot be verified (saved by an older "
                                 "version, or not by --save-raw)", ReasonCode.CAPTURE_UNVERIFIED)
        return _built(str(d), d.name, provenance, lambda name, limit: _member(d, name, blobs, limit))
    except UnreadableInput as e:
        raise RawFormatError(f"{d}: {e.message}", e.code) from None
    except OSError as e:
        raise RawFormatError(f"{d}: cannot read the capture folder: {e.strerror}", ReasonCode.READ_ERROR) from None


def capture_from_files(files: dict[str, bytes], where: str) -> Capture:
    """A capture sent as its files (capture_files), verified against its manifest exactly as a folder is (a manifest
    is required); `where` names it in errors. Nothing is written to disk."""
    blobs, provenance = _verified_blobs(files, where)
    return _built(where, where, provenance, lambda name, limit: _member(Path(where), name, blobs, limit))


def _built(where: str, default_name: str, provenance: Provenance, member) -> Capture:
    """The Capture that device.yaml describes, its outputs read by member(name, size limit)."""
    try:
        meta = load_yaml(member(DEVICE_FILE, MAX_META_BYTES).decode("utf-8", errors="replace"))
        if not isinstance(meta, dict) or not isinstance(meta.get("platform"), str):
            raise RawFormatError(f"{where}: {DEVICE_FILE}: not a mapping with a platform")
        cap = Capture(name=str(meta.get("name") or default_name), platform=meta["platform"],
                      address=None if meta.get("address") is None else str(meta["address"]),
                      collected_at=str(meta.get("collected_at", "")), provenance=provenance,
                      context=_context(where, meta.get("context")))
        for logical, entry in (meta.get("outputs") or {}).items():
            logical = str(logical)
            cap.commands[logical] = str(entry["command"])
            cap.status[logical] = str(entry.get("status", "ok"))
            if entry.get("message"):
                cap.messages[logical] = str(entry["message"])
            if entry.get("file") is not None:
                try:
                    data = member(entry["file"], MAX_OUTPUT_BYTES)
                except RawFormatError as e:
                    raise RawFormatError(f"output '{logical}': {e}", e.code) from None
                cap.outputs[logical] = data.decode("utf-8", errors="replace")
    except (RawFormatError, UnreadableInput, OSError):
        raise
    except (KeyError, TypeError, AttributeError, ValueError, yaml.YAMLError) as e:
        raise RawFormatError(f"{where}: not a raw capture folder ({type(e).__name__}: {e})") from None
    return cap


def _member_path(d: Path, name) -> Path:
    """The path of a file entry, refused unless it is a plain name of the folder still inside it once resolved."""
    if not isinstance(name, str) or name in ("", ".", "..") or re.search(r"[/\\\x00]", name):
        raise RawFormatError(f"{d}: file entry {name!r} is not a plain file name of the capture folder",
                             ReasonCode.UNSAFE_PATH)
    p = d / name
    try:                                        # a plain name that is not a symlink cannot lead out
        escapes = p.is_symlink() and p.resolve().parent != d.resolve()
    except (OSError, RuntimeError):             # a symlink loop
        escapes = True
    if escapes:
        raise RawFormatError(f"{d}: file entry {name!r} does not resolve to a file inside the capture folder",
                             ReasonCode.UNSAFE_PATH)
    return p


def _member(d: Path, name, blobs: dict[str, bytes] | None, limit: int) -> bytes:
    """A file's bytes: from the verified blobs (each already confined and hashed), else read from the folder."""
    if blobs is None:
        try:
            return read_bounded(_member_path(d, name), limit)
        except UnreadableInput as e:
            raise RawFormatError(f"{d}: {name}: {e.message}", e.code) from None
    if not isinstance(name, str) or name not in blobs:
        raise RawFormatError(f"{d}: {name} is not a file listed in {MANIFEST_FILE}", ReasonCode.CAPTURE_TAMPERED)
    return blobs[name]


def _verified_files(d: Path) -> tuple[dict[str, bytes] | None, Provenance]:
    """Every file the manifest lists, read and checked against its SHA-256; (None, unverified) if no manifest."""
    mpath = d / MANIFEST_FILE
    if not os.path.lexists(mpath):
        return None, Provenance("unverified")
    try:
        raw = read_bounded(_member_path(d, MANIFEST_FILE), MAX_META_BYTES)
    except (RawFormatError, UnreadableInput) as e:
        raise _tampered(d, f"{MANIFEST_FILE} is unreadable ({e})") from None
    listed = _listed(d, raw)
    present = {e.name for e in os.scandir(d)} - {MANIFEST_FILE}
    _same_files(d, present, listed)
    blobs = {}
    for name in sorted(listed):
        try:
            blobs[name] = read_bounded(_member_path(d, name), MAX_OUTPUT_BYTES)
        except RawFormatError as e:
            raise _tampered(d, f"{MANIFEST_FILE} lists {name!r}: {e}") from None
        except UnreadableInput as e:
            raise _tampered(d, f"{name}: {e.message}") from None
    return blobs, _provenance(d, raw, listed, blobs)


def _verified_blobs(files: dict[str, bytes], where: str) -> tuple[dict[str, bytes], Provenance]:
    """The same checks on files held in memory: a manifest, every file listed in it and no other, each hash equal."""
    if MANIFEST_FILE not in files:
        raise RawFormatError(f"{where}: no {MANIFEST_FILE}: the capture cannot be verified",
                             ReasonCode.CAPTURE_UNVERIFIED)
    raw = files[MANIFEST_FILE]
    if len(raw) > MAX_META_BYTES:
        raise _tampered(where, f"{MANIFEST_FILE} is unreadable (larger than {MAX_META_BYTES} bytes)")
    listed = _listed(where, raw)
    blobs = {name: data for name, data in files.items() if name != MANIFEST_FILE}
    _same_files(where, set(blobs), listed)
    for name, data in blobs.items():
        if len(data) > MAX_OUTPUT_BYTES:
            raise RawFormatError(f"{where}: {name}: larger than {MAX_OUTPUT_BYTES} bytes", ReasonCode.TOO_LARGE)
    return blobs, _provenance(where, raw, listed, blobs)


def _tampered(d, why: str) -> RawFormatError:
    return RawFormatError(f"{d}: capture_tampered: {why}", ReasonCode.CAPTURE_TAMPERED)


def _listed(d, raw: bytes) -> dict:
    try:
        listed = json.loads(raw)["files"]
        if not isinstance(listed, dict) or DEVICE_FILE not in listed:
            raise ValueError(f"no hash for {DEVICE_FILE}")
    except (ValueError, KeyError, TypeError) as e:
        raise _tampered(d, f"{MANIFEST_FILE} is unreadable ({e})") from None
    return listed


def _same_files(d, present: set[str], listed: dict) -> None:
    for name in sorted(present - set(listed)):
        raise _tampered(d, f"{name} is not in {MANIFEST_FILE} (added after the capture was saved)")
    for name in sorted(set(listed) - present):
        raise _tampered(d, f"{name} is listed in {MANIFEST_FILE} but missing")


def _provenance(d, raw: bytes, listed: dict, blobs: dict[str, bytes]) -> Provenance:
    for name in sorted(listed):
        if hashlib.sha256(blobs[name]).hexdigest() != listed[name]:
            raise _tampered(d, f"{name} does not match its SHA-256 in {MANIFEST_FILE} (modified after it was saved)")
    manifest = json.loads(raw)
    who = manifest.get("collector") if isinstance(manifest.get("collector"), dict) else {}
    return Provenance("verified", hashlib.sha256(raw).hexdigest(), _opt_str(who.get("id")),
                      _opt_str(manifest.get("tool_version")), _opt_str(manifest.get("written_at")))


def _opt_str(v) -> str | None:
    return None if v is None else str(v)


def capture_dirs(root: Path) -> list[Path]:
    if os.path.lexists(root / DEVICE_FILE):
        return [root]
    # lexists, not glob: a device.yaml that is a broken symlink or a loop is reported, not silently skipped
    return sorted(p for p in root.iterdir() if p.is_dir() and os.path.lexists(p / DEVICE_FILE))
