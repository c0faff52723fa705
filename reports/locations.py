"""Where a result points, for CI tools: a repository-relative path for a config file under the working folder
(code scanning and merge-request widgets map only those), or a logical location for a device scanned live."""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from scanner.model import Asset


def file_source(asset: Asset) -> Path | None:
    """The asset's file, when it was read from one (saved config, raw capture folder); None for a live address."""
    src = asset.source
    if not src or "://" in src:
        return None
    return Path(src)


def relative_uri(path: Path, root: Path | None = None) -> str | None:
    """`path` as a POSIX path relative to `root` (default: the working folder), or None when it lies outside."""
    base = (root or Path.cwd()).resolve()
    try:
        rel = path.resolve().relative_to(base)
    except ValueError:
        return None
    return str(PurePosixPath(*rel.parts))


def shown_path(asset: Asset, root: Path | None = None) -> str:
    """Where a CI tool shows the asset: its file relative to the working folder when under it, else the path as
    given, else (scanned live) its name."""
    path = file_source(asset)
    if path is None:
        return asset.name
    return relative_uri(path, root) or str(path)


def artifact(asset: Asset, root: Path | None = None) -> dict | None:
    """A SARIF artifactLocation for the asset's file (repository-relative against %SRCROOT% when under the working
    folder, else a file: URI), or None for a device scanned live."""
    path = file_source(asset)
    if path is None:
        return None
    uri = relative_uri(path, root)
    return {"uri": uri, "uriBaseId": "%SRCROOT%"} if uri else {"uri": path.resolve().as_uri()}


def fingerprint(*parts: str) -> str:
    """A stable identity of one result across scans (the same asset and check keep the same alert)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
