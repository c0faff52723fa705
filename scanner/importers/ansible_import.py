"""Ansible inventories: INI or YAML, with the group_vars/ and host_vars/ beside them, read by ansible-core's own
inventory loader and variable manager (the `ansible` extra) so precedence, host ranges and `:children` are
Ansible's. Without ansible-core a YAML inventory is still read by the walker below (no group_vars/host_vars).

A host's platform comes from `ansible_network_os`; a network OS mlps does not scan (junos, eos, nxos...) or a host
Ansible reaches locally or over WinRM is skipped with why. Passwords are never read: a literal `ansible_password`
is refused, a vaulted or templated one is left alone (credentials come from `mlps_credentials`).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scanner.importers import Imported, Skipped
from scanner.inventory import (Credential, Inventory, InventoryAsset, InventoryError, _line_of, _merge, _msg)
from scanner.addresses import printable_name

ANSIBLE_OS = {"huawei": "huawei_vrp", "ce": "huawei_vrp", "vrp": "huawei_vrp", "comware": "hp_comware",
              "hp_comware": "hp_comware", "h3c": "hp_comware", "ios": "cisco_ios", "cisco.ios.ios": "cisco_ios",
              "community.network.ce": "huawei_vrp", "linux": "linux"}
_PASSWORD_VARS = ("ansible_password", "ansible_ssh_pass", "ansible_become_password", "ansible_become_pass")
_NOT_SSH = {"local": "ansible_connection=local (the control node itself)", "winrm": "ansible_connection=winrm "
            "(Windows)", "psrp": "ansible_connection=psrp (Windows)", "docker": "ansible_connection=docker"}


def load_ansible(path: Path) -> Imported:
    """An INI inventory (or a folder of inventories): ansible-core is needed to read it."""
    if not _has_ansible_core():
        raise InventoryError(path, None, None, "an Ansible INI inventory needs ansible-core: pip install "
                             "'mlps-scanner[ansible]' (or convert it to YAML)")
    return _through_ansible_core(path, {})


def load_ansible_yaml(path: Path, data: dict, root) -> Imported:
    """A YAML inventory: checked by the walker (lines for every error), then read by ansible-core when present."""
    walked = _walk(path, data, root)
    if not _has_ansible_core():
        return Imported(walked)
    return _through_ansible_core(path, walked.credentials)


def _has_ansible_core() -> bool:
    try:
        import ansible.inventory.manager  # noqa: F401
    except ImportError:
        return False
    return True


MAX_HOSTS = 100_000
_RANGE = re.compile(r"\[(\d+|[a-z]):(\d+|[a-z])(?::(\d+))?\]", re.I)


def _check_ranges(path: Path) -> None:
    """Ansible expands `node[0:9999999]` in memory before anything can be counted: refuse a file whose host
    patterns would name more hosts than an inventory has, before handing it to ansible-core."""
    files = [path] if path.is_file() else [p for p in path.iterdir() if p.is_file()]
    for f in files:
        try:
            lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        total = 0
        for n, line in enumerate(lines, 1):
            count = 1
            text = line.split("#")[0].strip()
            for lo, hi, step in ([] if text.startswith("[") else _RANGE.findall(text)):
                span = int(hi) - int(lo) if lo.isdigit() and hi.isdigit() else ord(hi[-1]) - ord(lo[-1])
                count *= max(span, 0) // max(int(step or 1), 1) + 1
            total += count if count > 1 else 0
            if total > MAX_HOSTS:
                raise InventoryError(f, n, "hosts", f"host ranges name more than {MAX_HOSTS} hosts")


def _through_ansible_core(path: Path, credentials: dict) -> Imported:
    _check_ranges(path)
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader
    from ansible.vars.manager import VariableManager
    loader = DataLoader()
    source = str(path.resolve())
    loader.set_basedir(source if path.is_dir() else os.path.dirname(source))   # no group_vars from the cwd
    noise = io.StringIO()      # ansible's warnings: turned into one error or into skipped hosts below
    with contextlib.redirect_stderr(noise), contextlib.redirect_stdout(noise):
        manager = InventoryManager(loader=loader, sources=[source], parse=False)
        parsed = manager.parse_source(source)
        if not parsed:
            raise _parse_error(path, loader)
        manager.reconcile_inventory()       # what parse_sources() does after its sources: 'all', 'ungrouped'
        variables = VariableManager(loader=loader, inventory=manager)
        hosts = [(h, variables.get_vars(host=h, include_hostvars=False)) for h in manager.get_hosts()]
    assets, skipped = [], []
    for host, hv in hosts:
        groups = tuple(g.name for g in host.get_groups() if g.name not in ("all", "ungrouped"))
        asset = _core_asset(path, host.name, hv, groups, skipped)
        if asset is not None:
            assets.append(asset)
    if not assets:
        raise InventoryError(path, None, "hosts", "no host mlps can scan in this Ansible inventory"
                             + (f" ({len(skipped)} skipped: {skipped[0].reason}...)" if skipped else ""))
    return Imported(Inventory(source=str(path), assets=assets, credentials=credentials), skipped)


def _parse_error(path: Path, loader) -> InventoryError:
    """Ansible only warns when a source fails: ask its INI plugin again for the reason, and find the line."""
    from ansible.inventory.data import InventoryData
    from ansible.plugins.loader import inventory_loader
    plugin = inventory_loader.get("ini")
    try:
        plugin.parse(InventoryData(), loader, str(path))
    except Exception as e:          # noqa: BLE001 - ansible's own parse errors, reported as the file's
        cause = e.__cause__ or e
        message = str(cause).splitlines()[0].removeprefix("Failed to parse inventory: ")
        return InventoryError(path, _line_quoted(path, message), "ini", f"not an Ansible inventory: {message}")
    return InventoryError(path, None, None, "not an Ansible inventory (neither INI nor YAML)")


def _line_quoted(path: Path, message: str) -> int | None:
    """The line ansible's message quotes (it names the text, not the line number)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if text and not text.startswith(("#", ";")) and (text in message or message.endswith(text)):
            return n
    return None


def _origin(value: Any, path: Path) -> tuple[str, int | None]:
    try:
        from ansible._internal._datatag._tags import Origin
        tag = Origin.get_tag(value)
    except Exception:           # noqa: BLE001 - older or newer ansible-core: the inventory itself, no line
        tag = None
    return (tag.path, tag.line_num) if tag is not None and tag.path else (str(path), None)


def _is_literal(value: Any) -> bool:
    if type(value).__name__ in ("EncryptedString", "AnsibleVaultEncryptedUnicode"):
        return False
    return not (isinstance(value, str) and "{{" in value)


def _core_asset(path: Path, host: str, hv: dict, groups: tuple, skipped: list) -> InventoryAsset | None:
    for key in _PASSWORD_VARS:
        if key in hv and _is_literal(hv[key]):
            f, line = _origin(hv[key], path)
            raise InventoryError(f, line, f"{host}.{key}", "plain-text secrets are refused: reference credentials "
                                 "(mlps_credentials) instead")

    def skip(field: str | None, reason: str) -> None:
        skipped.append(Skipped(str(path), f"host {host}", field, reason))

    conn = str(hv.get("ansible_connection", "")).split(".")[-1]
    if conn in _NOT_SSH:
        return skip("ansible_connection", _NOT_SSH[conn] + ": not reached over SSH")
    address, nos = hv.get("ansible_host", host), str(hv.get("ansible_network_os") or "")
    if not _is_literal(address):
        return skip("ansible_host", "a template: mlps does not evaluate Jinja")
    platform = _platform(nos)
    if platform is None:
        return skip("ansible_network_os", f"'{nos}' is not a platform mlps scans (huawei/ce, comware, ios, linux)")
    try:
        return InventoryAsset(name=host, address=str(address), port=hv.get("ansible_port", 22), platform=platform,
                              zone=hv.get("mlps_zone"), role=hv.get("mlps_role", "other"),
                              importance=hv.get("mlps_importance", "medium"),
                              credentials=hv.get("mlps_credentials"), groups=groups)
    except ValidationError as e:
        err = e.errors()[0]
        key = {"address": "ansible_host", "port": "ansible_port", "platform": "ansible_network_os"}.get(
            str(err["loc"][0]) if err["loc"] else "", str(err["loc"][0]) if err["loc"] else "host")
        f, line = _origin(hv.get(key, host), path)
        raise InventoryError(f, line, f"{host}.{key}", _msg(err)) from None


def _platform(nos: str) -> str | None:
    if not nos:
        return "auto"
    return ANSIBLE_OS.get(nos.lower(), ANSIBLE_OS.get(nos.lower().split(".")[-1]))


# -- the YAML walker: structure and secrets checked with the line of every error -----------------------------------
def _walk(path: Path, data: dict, root) -> Inventory:
    """Ansible YAML inventory: hosts with ansible_host/ansible_port/ansible_network_os under all/children.
    A host listed in several groups is one asset (its first entry) that belongs to each group."""
    assets: dict[str, InventoryAsset] = {}

    def walk(group: Any, inherited: dict, loc: tuple, gname: str) -> None:
        group = _mapping(path, root, group, loc)
        vars_ = _merge(inherited, _mapping(path, root, group.get("vars"), (*loc, "vars")))
        for host, hv in _mapping(path, root, group.get("hosts"), (*loc, "hosts")).items():
            hv = _merge(vars_, _mapping(path, root, hv, (*loc, "hosts", host)))
            if host not in assets:
                assets[host] = _ansible_asset(path, root, host, hv, (*loc, "hosts", host), gname)
            elif gname and gname not in assets[host].groups:
                assets[host] = assets[host].model_copy(update={"groups": (*assets[host].groups, gname)})
        for child, cv in _mapping(path, root, group.get("children"), (*loc, "children")).items():
            walk(cv, vars_, (*loc, "children", child), child)

    walk(data["all"], {}, ("all",), "")
    if not assets:
        raise InventoryError(path, 1, "all", "no hosts found in the Ansible inventory")
    return Inventory(source=str(path), assets=list(assets.values()), credentials=_credentials(path, data, root))


def _mapping(path: Path, root, value: Any, loc: tuple) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), "must be a mapping")
    return value


def _ansible_asset(path: Path, root, host: Any, hv: dict, loc: tuple, gname: str) -> InventoryAsset:
    if any(k in hv and _is_literal(hv[k]) for k in _PASSWORD_VARS):
        raise InventoryError(path, _line_of(root, loc), f"{host}.ansible_password",
                             "plain-text secrets are refused: reference credentials instead")
    nos = str(hv.get("ansible_network_os", "auto"))
    try:
        return InventoryAsset(name=host, address=hv.get("ansible_host", host), port=hv.get("ansible_port", 22),
                     platform=ANSIBLE_OS.get(nos.split(".")[-1], ANSIBLE_OS.get(nos, "auto")),
                     zone=hv.get("mlps_zone"), role=hv.get("mlps_role", "other"),
                     credentials=hv.get("mlps_credentials"), groups=(gname,) if gname else ())
    except ValidationError as e:
        err = e.errors()[0]
        raise InventoryError(path, _line_of(root, loc), f"{host}.{err['loc'][0] if err['loc'] else 'host'}",
                             _msg(err)) from None


def _credentials(path: Path, data: dict, root) -> dict[str, Credential]:
    out = {}
    for name, value in _mapping(path, root, data.get("mlps_credentials"), ("mlps_credentials",)).items():
        try:
            printable_name(str(name))
            out[name] = Credential.model_validate(value)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ("mlps_credentials", name, *err["loc"])
            raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), _msg(err)) from None
        except ValueError as e:
            raise InventoryError(path, _line_of(root, ("mlps_credentials",)), "mlps_credentials", str(e)) from None
    return out
