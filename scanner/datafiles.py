"""Where the scanner's data files are, however it is installed: package data found with importlib.resources.

The catalogue, applicability, high-risk cases, scoring template, equipment data and fix commands ship in the
`checks` package; the demo lab's spec, inventory and captures in `scanner.lab`. A source checkout, an editable
install and a wheel install read the same files, so a scan gives the same verdicts everywhere. A data file that is
missing stops the scan (exit 2) before any asset is assessed: a quieter scan would look like a better network.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path


class DataFileError(Exception):
    """A data file the scanner needs is missing or the package is not installed as files."""


def read_data_yaml(path: Path, missing: str | None = None):
    """A data file's YAML (an empty file: {}); DataFileError naming the file when it is missing (`missing` says what
    the file is) or cannot be read, so a broken data file stops the scan with its name, never a quieter scan."""
    from scanner.textio import load_yaml
    if missing is not None and not path.is_file():
        raise DataFileError(f"{path}: missing ({missing})")
    try:
        return load_yaml(path.read_text(encoding="utf-8")) or {}
    except Exception as e:  # noqa: BLE001 - any unreadable data file stops the scan with its name
        raise DataFileError(f"{path}: {e}") from e


def package_dir(package: str, *parts: str) -> Path:
    """A folder of package data as a real path. Packages installed from a wheel or a checkout are files on disk;
    a zipped package is refused by name rather than half-read."""
    where = files(package).joinpath(*parts)
    if not isinstance(where, Path):
        raise DataFileError(f"{package}/{'/'.join(parts)}: the package is not installed as files on disk "
                            "(reinstall mlps-scanner with pip)")
    return where


def catalog_dir() -> Path:
    return package_dir("checks", "catalog")


def remediation_dir() -> Path:
    return package_dir("checks", "remediation")


def lab_dir() -> Path:
    return package_dir("scanner.lab", "data")


# Files without which verdicts or scores would silently change. Per-platform data (equipment, fix commands) is
# required by scanner.checkdata for every platform that has such data in a source checkout (see required_files).
CORE_FILES = ("gb22239_2019_l3.yaml", "applicability.yaml", "high_risk_t_iseaa_001_2020.yaml", "scoring.yaml",
              "rollup.yaml")


def required_files(platform_kinds: dict[str, str]) -> list[Path]:
    """Every data file a scan needs: the core catalogue files, fix commands for every platform, and equipment
    data (lifecycle, advisories) for every network platform."""
    cat, rem = catalog_dir(), remediation_dir()
    out = [cat / f for f in CORE_FILES]
    out += [rem / f"{p}.yaml" for p in sorted(platform_kinds)]
    out += [cat / "equipment" / f"{p}.yaml" for p, k in sorted(platform_kinds.items()) if k == "network_device"]
    return out


def ruleset_digest(check_modules: Iterable[str]) -> str:
    """SHA-256 over the rules a scan applied: every data file of the check set and the source of every check
    module (built-in and plug-in), by name and bytes. Recorded in scan.json: two scans with the same digest judged
    by the same rules, however the scanner was installed."""
    h = hashlib.sha256()
    for root in (catalog_dir(), remediation_dir(), package_dir("scanner.platforms", "data")):
        for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")):
            h.update(f.relative_to(root.parent).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    for name in sorted(set(check_modules)):
        module = sys.modules.get(name)
        source = Path(module.__file__) if module is not None and module.__file__ else None
        h.update(name.encode() + b"\0" + (source.read_bytes() if source and source.is_file() else b"") + b"\0")
    return h.hexdigest()
