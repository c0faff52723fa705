"""Jump hosts in the inventory: on an asset or a zone, each hop naming an SSH credential; every mistake is one
error naming the file, the line and the field."""
from __future__ import annotations

from pathlib import Path

import pytest

from scanner.inventory import InventoryError, load_inventory

HEAD = """credentials:
  dev: {ssh: {username: u, password: {env: P}}}
  bastion: {ssh: {username: b, key_file: /nonexistent/key}}
  snmponly: {snmp: {version: v2c, community: {env: C}}}
"""


def _load(tmp_path: Path, text: str):
    p = tmp_path / "inv.yaml"
    p.write_text(HEAD + text)
    return load_inventory(p)


def test_a_zone_jump_chain_is_inherited_and_an_assets_own_wins(tmp_path):
    inv = _load(tmp_path, """zones:
  mgmt: {exposure: management, jump: [{address: 10.0.0.1, credentials: bastion}]}
assets:
  - {name: a, address: 10.9.0.1, platform: huawei_vrp, zone: mgmt, credentials: dev}
  - {name: b, address: 10.9.0.2, platform: huawei_vrp, zone: mgmt, credentials: dev,
     jump: [{address: 10.0.0.2, port: 2222, credentials: bastion}, {address: jump2.example, credentials: bastion}]}
  - {name: c, address: 10.9.0.3, platform: huawei_vrp, credentials: dev}
""")
    a, b, c = inv.assets
    assert [(h.address, h.port) for h in a.jump] == [("10.0.0.1", 22)]
    assert [(h.address, h.port) for h in b.jump] == [("10.0.0.2", 2222), ("jump2.example", 22)]
    assert c.jump == ()


@pytest.mark.parametrize("assets, line, field, words", [
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [{address: 10.0.0.1, credentials: nosuch}]}\n", 7, "assets[0].jump[0].credentials", "nosuch"),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [{address: 10.0.0.1, credentials: snmponly}]}\n", 7, "assets[0].jump[0].credentials", "SSH"),
    ("  - {name: a, address: 10.9.0.1, credentials: dev,\n"
     "     jump: [{address: 10.0.0.1, credentials: bastion}]}\n", 6, "assets[0].platform", "platform"),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [{address: 10.0.0.1, credentials: bastion, password: x}]}\n", 7, "assets[0].jump.0.password",
     "Extra"),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [{address: 'a b', credentials: bastion}]}\n", 7, "assets[0].jump.0.address", ""),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [{address: 10.0.0.1, port: 0, credentials: bastion}]}\n", 7, "assets[0].jump.0.port", ""),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev, jump: bastion}\n", 6,
     "assets[0].jump", ""),
    ("  - {name: a, address: 10.9.0.1, platform: huawei_vrp, credentials: dev,\n"
     "     jump: [" + ", ".join(["{address: 10.0.0.1, credentials: bastion}"] * 9) + "]}\n", 7, "assets[0].jump", "8"),
])
def test_a_bad_jump_names_file_line_and_field(tmp_path, assets, line, field, words):
    with pytest.raises(InventoryError) as e:
        _load(tmp_path, "assets:\n" + assets)
    assert (e.value.field, words in e.value.message) == (field, True), str(e.value)
    assert e.value.line == line, str(e.value)


def test_a_bad_zone_jump_points_at_the_zone(tmp_path):
    with pytest.raises(InventoryError) as e:
        _load(tmp_path, """zones:
  mgmt:
    exposure: management
    jump: [{address: 10.0.0.1, credentials: nosuch}]
assets:
  - {name: a, address: 10.9.0.1, platform: huawei_vrp, zone: mgmt, credentials: dev}
""")
    assert e.value.field == "assets[0].jump[0].credentials" and e.value.line == 8, str(e.value)
    with pytest.raises(InventoryError) as e:
        _load(tmp_path, "zones:\n  mgmt: {exposure: management, jumps: []}\nassets:\n"
                        "  - {name: a, address: 10.9.0.1, platform: huawei_vrp, zone: mgmt, credentials: dev}\n")
    assert e.value.field == "zones.mgmt"
