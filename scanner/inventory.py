"""Inventories: the native YAML -> validated assets whose secrets are references only (other sources: importers/).

Every error names the file, the line and the field, so `mlps inventory validate` can point at it; plain-text
secrets are refused outright.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scanner import platforms
from scanner.addresses import host_address, printable_name
from scanner.errors import InputFileError
from scanner.secretrefs import SecretError, check_key_file
from scanner.textio import YamlFieldError, load_yaml_tree
from scanner.model import Topology
from scanner.zones import zone_boundaries, zone_exposures, zone_jumps

ROLES = ("core", "aggregation", "access", "border", "firewall", "utm", "router", "server", "security_appliance",
         "ips", "ids", "anti_malware", "log_audit", "bastion", "wireless_controller", "load_balancer", "other")


class InventoryError(InputFileError):
    """An inventory that cannot be used: file, line, field, message."""


class SecretRef(BaseModel):
    """Where a secret lives: an environment variable, a 0600 file, or the system keyring."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    env: str | None = None
    file: str | None = None
    keyring: str | None = None          # "service/username"

    @model_validator(mode="after")
    def _one(self) -> SecretRef:
        if sum(x is not None for x in (self.env, self.file, self.keyring)) != 1:
            raise ValueError("give exactly one of env, file or keyring")
        return self

    def describe(self) -> str:
        return f"env:{self.env}" if self.env else f"file:{self.file}" if self.file else f"keyring:{self.keyring}"


def _no_plaintext(v: Any) -> Any:
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        raise ValueError("plain-text secrets are refused: use {env: VAR}, {file: PATH} (mode 0600) or "
                         "{keyring: service/user}")
    return v


def _printable(v: Any) -> Any:
    if isinstance(v, str):
        printable_name(v)
    elif isinstance(v, (tuple, list)):
        for x in v:
            _printable(x)
    return v


class SshCredential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    username: str
    password: SecretRef | None = None
    key_file: str | None = None          # a private key file (mode 0600); its passphrase, if any, is `password`

    _check_pw = field_validator("password", mode="before")(_no_plaintext)
    _check_user = field_validator("username")(_printable)

    @field_validator("key_file")
    @classmethod
    def _key_file(cls, v: str | None) -> str | None:
        if v is not None:
            _printable(v)
            try:
                check_key_file(v, missing_ok=True)
            except SecretError as e:
                raise ValueError(str(e)) from None
        return v


class SnmpCredential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal["v2c", "v3"] = "v3"
    community: SecretRef | None = None
    username: str | None = None
    auth_protocol: Literal["sha", "sha224", "sha256", "sha384", "sha512", "md5"] = "sha"
    auth_key: SecretRef | None = None
    priv_protocol: Literal["aes", "aes128", "aes192", "aes256", "aes192c", "aes256c", "des", "des3", "3des"] = "aes"
    priv_key: SecretRef | None = None
    port: int = Field(161, ge=1, le=65535)

    _check = field_validator("community", "auth_key", "priv_key", mode="before")(_no_plaintext)


class Credential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ssh: SshCredential | None = None
    snmp: SnmpCredential | None = None


class JumpHop(BaseModel):
    """One SSH jump host (bastion) on the way to an asset: its address, port and the credential it is logged in
    with; its host key is verified like a device's."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    address: str = Field(min_length=1)
    port: int = Field(22, ge=1, le=65535)
    credentials: str

    _check_names = field_validator("credentials")(_printable)

    @field_validator("address")
    @classmethod
    def _address(cls, v: str) -> str:
        return host_address(v)


MAX_JUMP_HOPS = 8


class InventoryAsset(BaseModel):
    """One asset as the inventory declares it: where and how to scan it (its scan result is `scanner.model.Asset`)."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    platform: str = "auto"
    address: str = Field(min_length=1)
    port: int = Field(22, ge=1, le=65535)
    zone: str | None = None
    role: str = "other"
    importance: Literal["high", "medium", "low"] = "medium"
    redundancy_group: str | None = None
    # Where its management and services can be reached from (T/ISEAA 001-2020 high-risk conditions): internet or
    # untrusted (an uncontrolled network), internal, management (a management zone). Also set per zone (`zones:`).
    exposure: Literal["internet", "untrusted", "internal", "management"] | None = None
    credentials: str | None = None
    snmp_context: str | None = None      # SNMPv3 context (VRF, or the simulator's device name)
    ssh_legacy: bool = False             # offer SHA-1 kex, ssh-rsa, CBC ciphers (old devices); flagged in the report
    groups: tuple[str, ...] = ()
    jump: tuple[JumpHop, ...] = Field((), max_length=MAX_JUMP_HOPS)   # SSH jump hosts, first hop first

    _check_names = field_validator("name", "zone", "redundancy_group", "credentials", "snmp_context",
                                   "groups")(_printable)

    @field_validator("address")
    @classmethod
    def _address(cls, v: str) -> str:
        return host_address(v)

    @field_validator("platform")
    @classmethod
    def _platform(cls, v: str) -> str:
        if v in ("auto", "linux"):
            return v
        c = platforms.canonical(v)
        if c is None:
            raise ValueError(f"unknown platform '{v}' (auto, linux, {', '.join(platforms.names())})")
        return c

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        if v not in ROLES:
            raise ValueError(f"unknown role '{v}' (one of {', '.join(ROLES)})")
        return v


class Inventory(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = ""
    assets: list[InventoryAsset]
    credentials: dict[str, Credential] = Field(default_factory=dict)
    known_hosts: str | None = None
    skipped: list[str] = Field(default_factory=list)     # rows of an imported source left out, with where and why
    topology: Topology | None = None                     # `zones:` and `boundaries:` (per-boundary fleet checks)

    @field_validator("credentials")
    @classmethod
    def _credential_names(cls, v: dict) -> dict:
        _printable(list(v))
        return v

    def credential(self, asset: InventoryAsset) -> Credential | None:
        return self.credentials.get(asset.credentials) if asset.credentials else None


_ASSET_FIELDS = set(InventoryAsset.model_fields)


def _merge(*layers: dict) -> dict:
    out: dict = {}
    for layer in layers:
        out.update({k: v for k, v in layer.items() if v is not None})
    return out


# -- YAML with line numbers ---------------------------------------------------------------------------------
def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Line of the YAML node at path `loc` (keys and list indexes), or of the nearest parent found."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                break
            # the key's line when the value is an alias of a node written earlier in the file
            line = max(pair[0].start_mark.line, pair[1].start_mark.line) + 1
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def load_inventory(path: Path, fmt: str | None = None) -> Inventory:
    """Load and validate an inventory: the native YAML, or any source `scanner.importers` reads (CSV, XLSX,
    Ansible INI/YAML, NetBox/Nautobot); the rows a source left out are in `Inventory.skipped`."""
    from scanner.importers import import_inventory
    imported = import_inventory(Path(path), fmt)
    return imported.inventory.model_copy(update={"skipped": [str(s) for s in imported.skipped]})


def load_yaml_file(path: Path | str, text: str, error: type[InputFileError] | None = None
                   ) -> tuple[yaml.Node | None, Any]:
    """(root node, data) of a YAML file given by the user; every YAML error, and a file nested too deep or
    expanding too far through aliases, is an `error` (InventoryError unless told) naming the line (and the field,
    for the bounds)."""
    error = error or InventoryError
    try:
        return load_yaml_tree(text)
    except YamlFieldError as e:
        raise error(path, e.problem_mark.line + 1 if e.problem_mark else None, e.field, e.problem) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = str(getattr(e, "problem", None) or e).splitlines()[0]
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(path, mark.line + 1 if mark else None, None, f"invalid YAML{at}: {problem}") from None


def load_native(path: Path, data: dict, root) -> Inventory:
    """The native inventory from its parsed YAML (`root` gives the lines of errors)."""
    unknown = set(data) - {"defaults", "groups", "assets", "credentials", "known_hosts", "zones", "boundaries"}
    if unknown:
        k = sorted(unknown)[0]
        raise InventoryError(path, _line_of(root, (k,)), k, "unknown top-level key")
    defaults = data.get("defaults") or {}
    groups = data.get("groups") or {}
    zones = zone_exposures(path, root, data.get("zones") or {}, InventoryError)
    jumps = zone_jumps(data.get("zones"))
    raw_assets = data.get("assets")
    if not isinstance(raw_assets, list) or not raw_assets:
        raise InventoryError(path, _line_of(root, ("assets",)), "assets", "must be a non-empty list of assets")
    for section, value in (("defaults", defaults), ("groups", groups)):
        if not isinstance(value, dict):
            raise InventoryError(path, _line_of(root, (section,)), section, "must be a mapping")
    for g, gv in groups.items():
        if not isinstance(gv, dict):
            raise InventoryError(path, _line_of(root, ("groups", g)), f"groups.{g}", "a group is a mapping of "
                                 "asset fields")
    assets = []
    for i, a in enumerate(raw_assets):
        if not isinstance(a, dict):
            raise InventoryError(path, _line_of(root, ("assets", i)), f"assets[{i}]", "each asset is a mapping")
        merged = _merge(defaults, *_group_layers(path, root, i, a, groups), a)
        _from_zone(merged, zones, jumps)
        try:
            assets.append(InventoryAsset(**merged))
        except ValidationError as e:
            errs = e.errors()
            # A misspelt key also makes its correct spelling "missing": name the misspelling first.
            err = next((x for x in errs if x["type"] == "extra_forbidden"), errs[0])
            loc = tuple(err["loc"])
            origin = _origin(i, loc, a, defaults, merged.get("zone") if loc and loc[0] == "jump" else None, jumps)
            raise InventoryError(path, _line_of(root, origin), f"assets[{i}]." + ".".join(map(str, loc)),
                                 _msg(err)) from None
        except TypeError as e:
            raise InventoryError(path, _line_of(root, ("assets", i)), f"assets[{i}]", str(e)) from None
    names = [a.name for a in assets]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        i = len(names) - 1 - names[::-1].index(dup)
        raise InventoryError(path, _line_of(root, ("assets", i, "name")), f"assets[{i}].name",
                             f"duplicate asset name '{dup}'")
    try:
        inv = Inventory(source=str(path), assets=assets, credentials=data.get("credentials") or {},
                        known_hosts=data.get("known_hosts"), topology=_topology(path, root, data, zones, set(names)))
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), _msg(err)) from None
    for i, a in enumerate(inv.assets):
        if a.credentials and a.credentials not in inv.credentials:
            raise InventoryError(path, _line_of(root, ("assets", i, "credentials")), f"assets[{i}].credentials",
                                 f"no credential named '{a.credentials}' under credentials:")
        _check_jump(path, root, i, a, raw_assets[i], inv)
    return inv


def _topology(path: Path, root, data: dict, zones: dict[str, str], names: set[str]) -> Topology | None:
    edges = zone_boundaries(path, root, data["boundaries"], zones, names, InventoryError) \
        if data.get("boundaries") is not None else []
    return Topology(zones=zones, boundaries=edges) if zones or edges else None


def _from_zone(merged: dict, exposures: dict[str, str], jumps: dict[str, list]) -> None:
    """What an asset takes from its zone when it does not say it itself: the exposure and the jump hosts."""
    zone = merged.get("zone")
    if isinstance(zone, str) and merged.get("exposure") is None and zone in exposures:
        merged["exposure"] = exposures[zone]
    if isinstance(zone, str) and merged.get("jump") is None and zone in jumps:
        merged["jump"] = jumps[zone]


def _origin(i: int, loc: tuple, asset: dict, defaults: dict, jump_zone: str | None, jumps: dict) -> tuple:
    """Where in the file a bad value of asset i was written: the asset, the defaults or its zone."""
    if loc and loc[0] in asset:
        return ("assets", i, *loc)
    if loc and loc[0] in defaults:          # the value came from defaults (a group's: the asset's line)
        return ("defaults", *loc)
    if jump_zone in jumps:
        return ("zones", jump_zone, *loc)
    return ("assets", i)


def _check_jump(path: Path, root, i: int, a: InventoryAsset, raw: dict, inv: Inventory) -> None:
    """Each hop names an SSH credential; an asset behind jump hosts names its platform (the banner that
    `platform: auto` reads is not fetched through the chain)."""
    where = ("assets", i, "jump") if "jump" in raw else ("zones", a.zone, "jump") if a.jump else ("assets", i)
    for k, hop in enumerate(a.jump):
        cred = inv.credentials.get(hop.credentials)
        if cred is None or cred.ssh is None:
            raise InventoryError(path, _line_of(root, (*where, k, "credentials")), f"assets[{i}].jump[{k}].credentials",
                                 f"no SSH credential named '{hop.credentials}' under credentials:")
    if a.jump and a.platform == "auto":
        raise InventoryError(path, _line_of(root, ("assets", i)), f"assets[{i}].platform",
                             "an asset reached through jump hosts needs its platform set (not auto)")


def _group_layers(path: Path, root, i: int, asset: dict, groups: dict) -> list[dict]:
    """The settings of the groups an asset belongs to, in the order it names them."""
    member_of = asset.get("groups") or []
    if not isinstance(member_of, list) or not all(isinstance(g, str) for g in member_of):
        raise InventoryError(path, _line_of(root, ("assets", i, "groups")), f"assets[{i}].groups",
                             "must be a list of group names")
    for g in member_of:
        if g not in groups:
            raise InventoryError(path, _line_of(root, ("assets", i, "groups")), f"assets[{i}].groups",
                                 f"unknown group '{g}'")
    return [groups[g] for g in member_of]


def _msg(err: dict) -> str:
    msg = err["msg"]
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg
