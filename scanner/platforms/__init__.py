"""Platform modules by name, and detection of the platform from config text."""
from __future__ import annotations

from importlib import import_module

from scanner.platforms.base import Platform

# name -> module path; modules are imported on first use, never at import time of this package.
PLATFORM_MODULES = {
    "huawei_vrp": "scanner.platforms.huawei_vrp",
    "hp_comware": "scanner.platforms.hp_comware",
    "cisco_ios": "scanner.platforms.cisco_ios",
    "linux": "scanner.platforms.linux",
}
ALIASES = {"huawei": "huawei_vrp", "vrp": "huawei_vrp", "h3c": "hp_comware", "comware": "hp_comware",
           "hpe_comware": "hp_comware", "cisco": "cisco_ios", "ios": "cisco_ios", "cisco_xe": "cisco_ios",
           "cisco_iosxe": "cisco_ios", "ios_xe": "cisco_ios"}
UNKNOWN = "unknown"
MIN_DETECT_SCORE = 5


def names() -> list[str]:
    return list(PLATFORM_MODULES)


def config_platforms() -> list[str]:
    """Platforms whose saved running configuration can be assessed (network devices)."""
    return [n for n in PLATFORM_MODULES if n != "linux"]


def canonical(name: str) -> str | None:
    n = name.strip().lower().replace("-", "_")
    n = ALIASES.get(n, n)
    return n if n in PLATFORM_MODULES else None


def get(name: str) -> Platform:
    return import_module(PLATFORM_MODULES[name]).PLATFORM


def detect(text: str) -> str:
    """The best-scoring platform for `text`, or 'unknown' when nothing scores convincingly."""
    head = text[:200_000]
    scores = {n: get(n).detect_score(head) for n in config_platforms()}
    best = max(scores, key=lambda n: scores[n])
    ranked = sorted(scores.values(), reverse=True)
    if scores[best] < MIN_DETECT_SCORE or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return UNKNOWN
    return best
