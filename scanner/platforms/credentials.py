"""Known passwords as data: generally weak ones and publication masks (data/credentials_common.yaml), and each
platform's factory accounts with their default passwords and where that is documented (data/credentials_<platform>
.yaml). Parsers and the secret masker ask here; checks only see the traits (scanner.secrets.PasswordTraits) and
`LocalUser.factory_account`.

A factory default is a publicly known (account, password) pair: a pair published for one vendor is guessed on
every vendor's device, so the pairs of all platforms count everywhere (the masker, which saves raw outputs, must
reach the same traits without knowing the platform). Which account names are factory accounts is per platform: an
`admin` created by the operator on Cisco IOS is no factory account.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from scanner.datafiles import DataFileError, package_dir, read_data_yaml


def _read(name: str | Path) -> dict:
    path = name if isinstance(name, Path) else package_dir("scanner.platforms", "data") / name
    data = read_data_yaml(path, "known passwords and factory accounts")
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: must be a mapping")
    return data


@cache
def _common() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    data = _read("credentials_common.yaml")
    try:
        weak = frozenset(str(v).lower() for v in data["weak"]["values"])
        masks = tuple(re.compile(p) for p in data["masks"]["patterns"])
    except (KeyError, TypeError, re.error) as e:
        raise DataFileError(f"credentials_common.yaml: needs weak.values and masks.patterns ({e})") from e
    return weak, masks


@cache
def factory_accounts(platform: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """(account, its default passwords, source) for each factory account of the platform; () without a file."""
    path = package_dir("scanner.platforms", "data") / f"credentials_{platform}.yaml"
    return accounts_in(path) if path.is_file() else ()


def accounts_in(path: Path) -> tuple[tuple[str, frozenset[str], str], ...]:
    out = []
    for i, e in enumerate(_read(path).get("factory_accounts") or [], 1):
        if not isinstance(e, dict) or not e.get("account") or not isinstance(e.get("passwords"), list) or \
                not str(e.get("source") or "").strip():
            raise DataFileError(f"{path}: factory_accounts entry {i} needs account, passwords (a list) and source")
        out.append((str(e["account"]).lower(), frozenset(str(p).lower() for p in e["passwords"]), str(e["source"])))
    return tuple(out)


def has_factory_data(platform: str) -> bool:
    return bool(factory_accounts(platform))


def _platform_names() -> list[str]:
    folder = package_dir("scanner.platforms", "data")
    return sorted(p.stem[len("credentials_"):] for p in folder.glob("credentials_*.yaml")
                  if p.stem != "credentials_common")


@cache
def factory_pairs() -> frozenset[tuple[str, str]]:
    """Every platform's (account, default password), lower-cased."""
    return frozenset((a, p) for plat in _platform_names() for a, pws, _ in factory_accounts(plat) for p in pws)


@cache
def weak_passwords() -> frozenset[str]:
    """Generally weak passwords and every factory default password, lower-cased."""
    return _common()[0] | {p for _, p in factory_pairs()}


def is_factory_account(platform: str, name: str) -> bool:
    return any(a == name.lower() for a, _, _ in factory_accounts(platform))


def is_factory_default(account: str, password: str) -> bool:
    return (account.lower(), password.lower()) in factory_pairs()


def is_masked(value: str) -> bool:
    """A placeholder an author put where the password was (`PASSWORD`, `<removed>`, `*****`)."""
    return any(m.fullmatch(value.strip()) for m in _common()[1])
