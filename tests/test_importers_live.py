"""NetBox and Nautobot live: pynetbox / pynautobot talk real HTTP to a small server this test starts on 127.0.0.1
that answers the REST API's shape for /api/dcim/devices/ (paginated with `next`, token checked). Nothing of ours
is mocked: the importer, the client library and the HTTP stack all run. Port 28310."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from scanner.inventory import InventoryError, load_inventory

from conftest import run_mlps

pytestmark = pytest.mark.live        # a NetBox/Nautobot API server on a fixed port (under the port lock)

PORT = 28310
TOKEN = "0123456789abcdef0123456789abcdef01234567"


def _device(i, name, platform, ip, status="active", role="Core Switch", site="dc1", tags=()):
    return {"id": i, "name": name, "status": {"value": status, "label": status.title()},
            "role": {"id": 1, "name": role, "slug": role.lower().replace(" ", "-")},
            "site": {"id": 1, "name": site, "slug": site}, "location": {"id": 2, "name": site},
            "platform": platform and {"id": 3, "name": platform, "slug": platform, "network_driver": platform},
            "device_type": {"id": 4, "model": "X", "manufacturer": {"id": 5, "name": "Huawei", "slug": "huawei"}},
            "primary_ip": ip and {"id": 6, "address": ip}, "primary_ip4": ip and {"id": 6, "address": ip},
            "tags": [{"id": 7, "name": t, "slug": t} for t in tags]}


DEVICES = [_device(1, "core-01", "huawei_vrp", "10.50.0.1/24", tags=("importance-high",)),
           _device(2, "agg-01", "hp_comware", "10.50.0.2/24", role="Aggregation"),
           _device(3, "edge-01", "cisco_ios", "10.50.0.3/24", role="Router"),
           _device(4, "leaf-01", "cisco_nxos", "10.50.0.4/24", role="Leaf"),
           _device(5, "spare-01", "huawei_vrp", None),
           _device(6, "evil", "huawei_vrp", "-oProxyCommand=x")]


class _Api(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):           # noqa: N802 - http.server's name
        url = urlparse(self.path)
        _Api.seen.append((url.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"Token {TOKEN}":
            return self._send(403, {"detail": "Invalid token"})
        if url.path.rstrip("/") in ("/api", "/api/status"):
            return self._send(200, {"netbox-version": "4.1.0", "nautobot-version": "2.3.0"})
        if url.path != "/api/dcim/devices/":
            return self._send(404, {"detail": "Not found."})
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        offset, limit = int(q.get("offset", 0)), int(q.get("limit", 0)) or 2
        limit = min(limit, 2)               # a small page size: pagination is exercised
        page = DEVICES[offset:offset + limit]
        nxt = (f"http://127.0.0.1:{PORT}/api/dcim/devices/?limit={limit}&offset={offset + limit}"
               if offset + limit < len(DEVICES) else None)
        self._send(200, {"count": len(DEVICES), "next": nxt, "previous": None, "results": page})

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("API-Version", "2.3")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), _Api)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{PORT}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("kind", ["netbox", "nautobot"])
def test_live_devices_paginated_mapped_and_skipped_with_why(api, tmp_path, monkeypatch, kind):
    monkeypatch.setenv("MLPS_TEST_NB_TOKEN", TOKEN)
    src = tmp_path / f"{kind}.yaml"
    src.write_text(f"{kind}:\n  url: {api}\n  token: {{env: MLPS_TEST_NB_TOKEN}}\n"
                   "defaults: {credentials: net}\n"
                   "credentials:\n  net: {ssh: {username: audit, password: {env: MLPS_NET_PW}}}\n")
    _Api.seen.clear()
    inv = load_inventory(src)
    assert [(a.name, a.address, a.platform, a.zone, a.role, a.importance, a.credentials) for a in inv.assets] == [
        ("core-01", "10.50.0.1", "huawei_vrp", "dc1", "core", "high", "net"),
        ("agg-01", "10.50.0.2", "hp_comware", "dc1", "aggregation", "medium", "net"),
        ("edge-01", "10.50.0.3", "cisco_ios", "dc1", "router", "medium", "net")]
    assert len([p for p, _ in _Api.seen if p == "/api/dcim/devices/"]) >= 3          # every page was fetched
    assert all(auth == f"Token {TOKEN}" for _, auth in _Api.seen)
    skipped = "\n".join(inv.skipped)
    assert "device 4 (leaf-01): field 'platform'" in skipped and "device 5 (spare-01): field 'primary_ip'" in skipped
    assert "device 6 (evil): field 'address'" in skipped        # validated: never reaches nmap or ssh


def test_live_token_is_a_reference_and_errors_are_clear(api, tmp_path, monkeypatch):
    src = tmp_path / "nb.yaml"
    src.write_text(f"netbox:\n  url: {api}\n  token: {TOKEN}\n")
    with pytest.raises(InventoryError) as ei:
        load_inventory(src)
    assert ei.value.field == "netbox.token" and ei.value.line == 3 and "plain-text" in ei.value.message
    monkeypatch.setenv("MLPS_TEST_NB_TOKEN", "wrong-token")
    src.write_text(f"netbox:\n  url: {api}\n  token: {{env: MLPS_TEST_NB_TOKEN}}\n")
    r = run_mlps("inventory", "validate", str(src))
    assert r.returncode == 2 and "403" in r.stderr and "wrong-token" not in r.stderr and "Traceback" not in r.stderr
    src.write_text("netbox:\n  url: http://127.0.0.1:28311\n  token: {env: MLPS_TEST_NB_TOKEN}\n")
    r = run_mlps("inventory", "validate", str(src))
    assert r.returncode == 2 and f"{src}:2" in r.stderr and "cannot list devices" in r.stderr, r.stderr
