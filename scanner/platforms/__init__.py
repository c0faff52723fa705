"""The platforms by name, and detection of the platform from saved text.

Built-in platforms are imported on first use, never at import time of this package. Another package adds one by
publishing its `PLATFORM` object in the entry-point group `mlps_scanner.platforms`; `register()` adds one for this
process (tests, embedding). Nothing here knows a platform by name: what a platform is and does, it declares
(scanner/platforms/base.py, `Platform`).
"""
from __future__ import annotations

import pkgutil
import threading
from importlib import import_module
from importlib.metadata import entry_points

from scanner.platforms.base import Platform

ENTRY_POINT_GROUP = "mlps_scanner.platforms"
UNKNOWN = "unknown"
MIN_DETECT_SCORE = 5

_builtin: dict[str, Platform] = {}        # the modules of this package that define PLATFORM, by platform name
_broken: dict[str, str] = {}              # module file -> why it cannot be imported
_added: dict[str, Platform] = {}          # register()ed and entry-point platforms, by name
_read = {"modules": False, "entry points": False}
_loading = threading.RLock()               # collector threads ask for platforms concurrently


def _builtins() -> dict[str, Platform]:
    """Every module of this package with a PLATFORM, in module-name order: adding one needs no list edited."""
    if _read["modules"]:             # loaded: no lock (a forked child must never wait on one)
        return _builtin
    with _loading:
        if not _read["modules"]:
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
                try:
                    plat = getattr(import_module(f"{__name__}.{info.name}"), "PLATFORM", None)
                except Exception as e:      # reported by discovery (broken()), which then stops the scan
                    _broken[f"scanner/platforms/{info.name}.py"] = f"{type(e).__name__}: {e}"
                    continue
                if plat is not None:
                    _builtin[plat.name] = plat
            _read["modules"] = True
    return _builtin


def broken() -> dict[str, str]:
    """Platform modules and plug-ins that cannot be loaded (where -> error): a platform may be missing."""
    _all()
    return dict(_broken)


def register(platform: Platform) -> None:
    """Add a platform for this process; its name must be new."""
    if platform.name in names() or platform.name == UNKNOWN:
        raise ValueError(f"platform name {platform.name!r} is taken")
    _added[platform.name] = platform


def unregister(name: str) -> None:
    _added.pop(name, None)


def _plugins() -> dict[str, Platform]:
    if _read["entry points"]:             # loaded: no lock (a forked child must never wait on one)
        return _added
    with _loading:
        if not _read["entry points"]:
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.name in _builtins():
                    continue
                try:
                    _added.setdefault(ep.name, ep.load())
                except Exception as e:      # a broken platform plug-in is reported by discovery, never half-loaded
                    _broken[f"entry point {ep.name} ({ep.value})"] = f"{type(e).__name__}: {e}"
            _read["entry points"] = True
    return _added


def _all() -> dict[str, Platform]:
    return _builtins() | {n: p for n, p in _plugins().items() if n not in _builtin}


def names() -> list[str]:
    return list(_all())


def config_platforms() -> list[str]:
    """Platforms whose saved configuration can be recognised and assessed (detection.saved_config)."""
    return [n for n in names() if get(n).detection.saved_config]


def canonical(name: str) -> str | None:
    n = name.strip().lower().replace("-", "_")
    platforms = _all()
    return n if n in platforms else next((p for p, plat in platforms.items() if n in plat.aliases), None)


def get(name: str) -> Platform:
    return _all()[name]


def known(name: str) -> bool:
    return name in _all()


def by_ssh_banner(banner: str) -> str | None:
    """The first platform whose declared SSH banner text is in `banner`."""
    return next((n for n in names() if any(b in banner for b in get(n).detection.ssh_banners)), None)


def detect(text: str) -> str:
    """The best-scoring platform for `text`, or 'unknown' when nothing scores convincingly. Only the head of the
    text is read, its first 200 000 characters: a platform's marks are in its first lines, and a huge file is not
    scanned whole to name its platform."""
    head = text[:200_000]
    scores = {n: get(n).detect_score(head) for n in config_platforms()}
    best = max(scores, key=lambda n: scores[n])
    ranked = sorted(scores.values(), reverse=True)
    if scores[best] < MIN_DETECT_SCORE or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return UNKNOWN
    return best
