"""The real-corpus disagreements of issue 9 left after session 6 (tests/fixtures/real/DISAGREEMENTS.yaml), each as a
minimal config per vendor with its siblings: HTTP web management as a remote path without transport protection,
USG administrator roles, anonymous console sessions, factory account names, web idle timeouts, defaults by family."""
from __future__ import annotations

import pytest

from scanner.engine import ScanContext, assess_config_bytes

from conftest import COMWARE, VRP

IOS = "hostname {name}\n!\ninterface Vlan10\n ip address 10.0.10.1 255.255.255.0\n!\n{body}\n!\nend\n"
TEMPLATES = {"huawei_vrp": VRP, "hp_comware": COMWARE, "cisco_ios": IOS}
USG_HEAD = "!Software Version V500R005C10SPC300\n"


@pytest.fixture(scope="module")
def ctx():
    return ScanContext.default()


def assess(ctx, platform: str, body: str, name: str = "d1", head: str = ""):
    text = (head + TEMPLATES[platform].format(name=name, body=body)).encode()
    asset = assess_config_bytes(text, ctx, platform, name, f"{name}.cfg")
    assert asset.status.value == "assessed", asset.reason
    return asset


def item(asset, item_id: str) -> str:
    return next(c for c in asset.controls if c.id == item_id).result.value


def check(asset, check_id: str):
    return next(f for f in asset.findings if f.check == check_id)


def raised(asset) -> set[str]:
    return {h.id for h in asset.high_risks}


# -- 6.5.1.1: HTTP web management is remote management without transport protection (USG FW1, HRP master, SITE) -------
@pytest.mark.parametrize("platform, body, head", [
    ("huawei_vrp", "web-manager enable\nweb-manager security enable\naaa\n manager-user admin\n"
                   "  password cipher @%@%abc@%@%\n  service-type web terminal\n  level 15\n", USG_HEAD),
    ("huawei_vrp", "http server enable\naaa\n local-user a password irreversible-cipher $1a$x$\n"
                   " local-user a service-type http\n local-user a privilege level 15\n", ""),
    ("hp_comware", "ip http enable\nlocal-user a class manage\n password hash $h$6$x\n service-type http\n"
                   " authorization-attribute user-role network-admin\n", ""),
    ("cisco_ios", "ip http server\nip http authentication local\nusername a privilege 15 secret 9 $9$abc\n", ""),
])
def test_http_web_management_reachable_from_anywhere_raises_6_5_1_1(ctx, platform, body, head):
    a = assess(ctx, platform, body, head=head)
    assert check(a, "remote_mgmt_http_disabled").status.value == "fail"
    assert {"6.4.1.2", "6.5.1.1"} <= raised(a), raised(a)
