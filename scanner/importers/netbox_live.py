"""A live NetBox or Nautobot as the inventory: a small YAML file names the server, the token reference and the
filters, and may carry the credentials the scan uses:

    netbox:                      # or nautobot:
      url: https://netbox.example.com
      token: {env: NETBOX_TOKEN}  # or {file: ~/.netbox-token} (0600); a literal token is refused
      filters: {site: dc1, status: active}
    defaults: {credentials: net}
    credentials:
      net: {ssh: {username: audit, password: {env: MLPS_NET_PW}}}
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scanner.importers import Imported
from scanner.importers.netbox_import import _add, _result, device_record
from scanner.inventory import Credential, InventoryError, SecretRef, _line_of, _msg, _no_plaintext
from scanner.secretrefs import SecretError, resolve_secret


class ServerSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str = Field(pattern=r"^https?://[^\s]+$")
    token: SecretRef
    filters: dict[str, str | int | list[str]] = Field(default_factory=dict)
    verify_tls: bool = True
    timeout_s: float = Field(30.0, gt=0, le=600)

    _check = field_validator("token", mode="before")(_no_plaintext)


class LiveSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    netbox: ServerSource | None = None
    nautobot: ServerSource | None = None
    defaults: dict[str, str] = Field(default_factory=dict)
    credentials: dict[str, Credential] = Field(default_factory=dict)


def load_live(path: Path, data: dict, root) -> Imported:
    try:
        src = LiveSource.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise InventoryError(path, _line_of(root, loc), ".".join(map(str, loc)), _msg(err)) from None
    if (src.netbox is None) == (src.nautobot is None):
        raise InventoryError(path, 1, None, "give exactly one of netbox: or nautobot:")
    kind = "netbox" if src.netbox else "nautobot"
    server = src.netbox or src.nautobot
    unknown = set(src.defaults) - {"credentials", "zone", "role", "importance"}
    if unknown:
        k = sorted(unknown)[0]
        raise InventoryError(path, _line_of(root, ("defaults", k)), f"defaults.{k}", "not a default an imported "
                             "device takes (credentials, zone, role, importance)")
    try:
        token = resolve_secret(server.token)
    except SecretError as e:
        raise InventoryError(path, _line_of(root, (kind, "token")), f"{kind}.token", str(e)) from None
    devices = fetch_devices(kind, server, token, path, _line_of(root, (kind, "url")))
    assets, skipped = [], []
    for d in devices:
        _add(device_record(d), f"{server.url} ({path})", f"device {d.get('id', '?')}", assets, skipped)
    return _result(path, assets, skipped, src.credentials, src.defaults)


def fetch_devices(kind: str, server: ServerSource, token: str, path: Path, line: int | None) -> list[dict]:
    """Every device the filters select, through pynetbox or pynautobot (pagination is theirs)."""
    try:
        if kind == "netbox":
            import pynetbox
            api = pynetbox.api(server.url, token=token)
        else:
            import pynautobot
            api = pynautobot.api(server.url, token=token, verify=server.verify_tls)
    except ImportError:
        raise InventoryError(path, line, f"{kind}.url", f"reading {kind} needs py{kind}: pip install "
                             "'mlps-scanner[netbox]'") from None
    api.http_session.verify = server.verify_tls
    _timeout(api.http_session, server.timeout_s)
    filters: dict[str, Any] = dict(server.filters)
    if kind == "nautobot":
        filters.setdefault("depth", 1)      # names of role, location, platform instead of bare ids
    try:
        records = api.dcim.devices.filter(**filters) if filters else api.dcim.devices.all()
        return [dict(r) for r in records]
    except Exception as e:      # noqa: BLE001 - requests, HTTP and client errors: the token never in the text
        msg = str(e).replace(token, "***")[:200] if token else str(e)[:200]
        raise InventoryError(path, line, f"{kind}.url", f"cannot list devices from {server.url}: "
                             f"{type(e).__name__}: {msg}") from None


def _timeout(session, seconds: float) -> None:
    """requests has no session-wide timeout: give every request one, so a silent server cannot hang a scan."""
    request = session.request

    def with_timeout(method, url, **kw):
        kw.setdefault("timeout", seconds)
        return request(method, url, **kw)
    session.request = with_timeout
