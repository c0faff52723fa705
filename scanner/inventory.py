"""Inventories: YAML (or CSV, or an Ansible inventory) -> validated assets whose secrets are references only.

Every error names the file, the line and the field, so `mlps inventory validate` can point at it; plain-text
secrets are refused outright.
"""
from __future__ import annotations

import csv
import os
import stat
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scanner import platforms

ROLES = ("core", "aggregation", "access", "border", "firewall", "router", "server", "security_appliance",
         "ips", "ids", "log_audit", "bastion", "wireless_controller", "load_balancer", "other")


class InventoryError(Exception):
    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = str(path), line, field, message
        where = f"{self.path}" + (f":{line}" if line else "") + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


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


class SshCredential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    username: str
    password: SecretRef | None = None
    key_file: str | None = None          # a private key file (mode 0600); its passphrase, if any, is `password`

    _check_pw = field_validator("password", mode="before")(_no_plaintext)


class SnmpCredential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Literal["v2c", "v3"] = "v3"
    community: SecretRef | None = None
    username: str | None = None
    auth_protocol: Literal["sha", "sha224", "sha256", "sha384", "sha512", "md5"] = "sha"
    auth_key: SecretRef | None = None
    priv_protocol: Literal["aes", "aes128", "aes192", "aes256", "des"] = "aes"
    priv_key: SecretRef | None = None
    port: int = Field(161, ge=1, le=65535)

    _check = field_validator("community", "auth_key", "priv_key", mode="before")(_no_plaintext)


class Credential(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ssh: SshCredential | None = None
    snmp: SnmpCredential | None = None


class Asset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    platform: str = "auto"
    address: str = Field(min_length=1)
    port: int = Field(22, ge=1, le=65535)
    zone: str | None = None
    role: str = "other"
    importance: Literal["high", "medium", "low"] = "medium"
    redundancy_group: str | None = None
    credentials: str | None = None
    snmp_context: str | None = None      # SNMPv3 context (VRF, or the simulator's device name)
    ssh_legacy: bool = False             # offer SHA-1 kex, ssh-rsa, CBC ciphers (old devices); flagged in the report
    groups: tuple[str, ...] = ()

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
    assets: list[Asset]
    credentials: dict[str, Credential] = Field(default_factory=dict)
    known_hosts: str | None = None

    def credential(self, asset: Asset) -> Credential | None:
        return self.credentials.get(asset.credentials) if asset.credentials else None


_ASSET_FIELDS = set(Asset.model_fields)


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
            nxt = next((v for k, v in node.value if k.value == key), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load_inventory(path: Path) -> Inventory:
    """Load and validate an inventory file (.yaml/.yml, .csv, or an Ansible YAML inventory)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InventoryError(path, None, None, f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InventoryError(path, None, None, "not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        return _from_csv(path, text)
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InventoryError(path, mark.line + 1 if mark else None, None,
                             f"invalid YAML: {getattr(e, 'problem', None) or e}") from None
    if not isinstance(data, dict):
        raise InventoryError(path, 1, None, "an inventory is a mapping with an 'assets' list")
    if "assets" not in data and "all" in data:
        return _from_ansible(path, data, root)
    return _from_native(path, data, root)


def _from_native(path: Path, data: dict, root) -> Inventory:
    unknown = set(data) - {"defaults", "groups", "assets", "credentials", "known_hosts"}
    if unknown:
        k = sorted(unknown)[0]
        raise InventoryError(path, _line_of(root, (k,)), k, "unknown top-level key")
    defaults = data.get("defaults") or {}
    groups = data.get("groups") or {}
    raw_assets = data.get("assets")
    if not isinstance(raw_assets, list) or not raw_assets:
        raise InventoryError(path, _line_of(root, ("assets",)), "assets", "must be a non-empty list of assets")
    for section, value in (("defaults", defaults), ("groups", groups)):
        if not isinstance(value, dict):
            raise InventoryError(path, _line_of(root, (section,)), section, "must be a mapping")
    assets = []
    for i, a in enumerate(raw_assets):
        if not isinstance(a, dict):
            raise InventoryError(path, _line_of(root, ("assets", i)), f"assets[{i}]", "each asset is a mapping")
        layers = [defaults]
        for g in a.get("groups") or []:
            if g not in groups:
                raise InventoryError(path, _line_of(root, ("assets", i, "groups")), f"assets[{i}].groups",
                                     f"unknown group '{g}'")
            layers.append(groups[g])
        merged = _merge(*layers, a)
        try:
            assets.append(Asset(**merged))
        except ValidationError as e:
            errs = e.errors()
            # A misspelt key also makes its correct spelling "missing": name the misspelling first.
            err = next((x for x in errs if x["type"] == "extra_forbidden"), errs[0])
            loc = tuple(err["loc"])
            origin = ("assets", i, *loc) if loc and loc[0] in a else ("assets", i)
            if loc and loc[0] not in a:       # the value came from defaults or a group
                origin = ("defaults", *loc) if loc[0] in defaults else ("assets", i)
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
                        known_hosts=data.get("known_hosts"))
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), _msg(err)) from None
    for i, a in enumerate(inv.assets):
        if a.credentials and a.credentials not in inv.credentials:
            raise InventoryError(path, _line_of(root, ("assets", i, "credentials")), f"assets[{i}].credentials",
                                 f"no credential named '{a.credentials}' under credentials:")
    return inv


def _msg(err: dict) -> str:
    msg = err["msg"]
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def _from_csv(path: Path, text: str) -> Inventory:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "name" not in reader.fieldnames or "address" not in reader.fieldnames:
        raise InventoryError(path, 1, None, "a CSV inventory needs a header with at least name,address")
    extra = [f for f in reader.fieldnames if f not in _ASSET_FIELDS]
    if extra:
        raise InventoryError(path, 1, extra[0], "unknown column" + (" (secrets cannot be given in CSV)"
                                                                   if "pass" in extra[0] else ""))
    assets = []
    for n, row in enumerate(reader, start=2):
        clean = {k: v for k, v in row.items() if v not in (None, "")}
        if "groups" in clean:
            clean["groups"] = tuple(g for g in clean["groups"].split(";") if g)
        try:
            assets.append(Asset(**clean))
        except ValidationError as e:
            err = e.errors()[0]
            raise InventoryError(path, n, ".".join(map(str, err["loc"])), _msg(err)) from None
    if not assets:
        raise InventoryError(path, 2, None, "no assets")
    return Inventory(source=str(path), assets=assets)


def _from_ansible(path: Path, data: dict, root) -> Inventory:
    """Ansible YAML inventory: hosts with ansible_host/ansible_port/ansible_network_os under all/children."""
    os_map = {"huawei": "huawei_vrp", "ce": "huawei_vrp", "vrp": "huawei_vrp", "comware": "hp_comware",
              "hp_comware": "hp_comware", "ios": "cisco_ios", "cisco.ios.ios": "cisco_ios",
              "community.network.ce": "huawei_vrp", "linux": "linux"}
    assets: list[Asset] = []

    def walk(group: dict, inherited: dict, loc: tuple, gname: str) -> None:
        if not isinstance(group, dict):
            return
        vars_ = _merge(inherited, group.get("vars") or {})
        for host, hv in (group.get("hosts") or {}).items():
            hv = _merge(vars_, hv or {})
            if any(k in hv for k in ("ansible_password", "ansible_ssh_pass", "ansible_become_password")):
                raise InventoryError(path, _line_of(root, (*loc, "hosts", host)), f"{host}.ansible_password",
                                     "plain-text secrets are refused: reference credentials instead")
            nos = str(hv.get("ansible_network_os", "auto")).split(".")[-1]
            try:
                assets.append(Asset(name=host, address=str(hv.get("ansible_host", host)),
                                    port=int(hv.get("ansible_port", 22)),
                                    platform=os_map.get(nos, os_map.get(str(hv.get("ansible_network_os")), "auto")),
                                    zone=hv.get("mlps_zone"), role=hv.get("mlps_role", "other"),
                                    credentials=hv.get("mlps_credentials"), groups=(gname,) if gname else ()))
            except ValidationError as e:
                err = e.errors()[0]
                raise InventoryError(path, _line_of(root, (*loc, "hosts", host)), f"{host}.{err['loc'][0]}",
                                     _msg(err)) from None
        for child, cv in (group.get("children") or {}).items():
            walk(cv or {}, vars_, (*loc, "children", child), child)

    walk(data["all"], {}, ("all",), "")
    if not assets:
        raise InventoryError(path, 1, "all", "no hosts found in the Ansible inventory")
    return Inventory(source=str(path), assets=assets, credentials=_credentials(path, data, root))


def _credentials(path: Path, data: dict, root) -> dict[str, Credential]:
    try:
        return {k: Credential(**v) for k, v in (data.get("mlps_credentials") or {}).items()}
    except ValidationError as e:
        err = e.errors()[0]
        raise InventoryError(path, _line_of(root, ("mlps_credentials",)), ".".join(map(str, err["loc"])),
                             _msg(err)) from None


# -- resolving secret references at connection time -----------------------------------------------------------
class SecretError(Exception):
    pass


def resolve_secret(ref: SecretRef) -> str:
    """The secret a reference points at. Errors never include the secret."""
    if ref.env:
        v = os.environ.get(ref.env)
        if v is None:
            raise SecretError(f"environment variable {ref.env} is not set")
        return v
    if ref.file:
        p = Path(ref.file).expanduser()
        try:
            st = p.stat()
        except OSError as e:
            raise SecretError(f"secret file {p}: {e.strerror}") from None
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretError(f"secret file {p} must not be readable by group or others (chmod 600)")
        return p.read_text(encoding="utf-8").strip("\r\n")
    try:
        import keyring  # optional dependency
    except ImportError:
        raise SecretError("keyring reference given but the 'keyring' package is not installed") from None
    service, _, user = (ref.keyring or "").partition("/")
    v = keyring.get_password(service, user)
    if v is None:
        raise SecretError(f"no keyring entry for {ref.keyring}")
    return v
