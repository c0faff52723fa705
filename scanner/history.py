"""Scans over time: every scan.json under a folder, oldest first, as the points of a trend (score, high risks, item
results), so a team sees its progress between inspections (`mlps history DIR`; `--history DIR` puts the trend in
the report)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from scanner.model import AssetStatus, HistoryPoint, ScanResult

MAX_FILES = 1000


def read_scan(path: Path) -> ScanResult:
    """A scan.json, or ValueError naming the file and why it cannot be used (the one message every command gives)."""
    try:
        return ScanResult.model_validate_json(path.read_bytes())
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror})") from None
    except ValidationError as e:
        first = e.errors()[0]
        raise ValueError(f"{path}: not a scan.json of this version (field '{'.'.join(map(str, first['loc']))}': "
                         f"{first['msg']})") from None


def point(result: ScanResult, source: str) -> HistoryPoint:
    s = result.score
    return HistoryPoint(started_at=result.meta.started_at, source=source,
                        score=s.overall if s else None, conclusion=s.conclusion if s else None,
                        high_risks=s.unresolved_high_risks if s else 0, assets=len(result.assets),
                        assessed=sum(a.status == AssetStatus.ASSESSED for a in result.assets),
                        items=dict(Counter(i.result.value for i in result.items)))


def load_history(folder: Path) -> tuple[list[HistoryPoint], list[str]]:
    """The scans under `folder` (any depth), oldest first, and each file left out with why. Raises ValueError when
    `folder` is not a folder."""
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder")
    points, skipped = [], []
    for path in sorted(folder.rglob("scan.json"))[:MAX_FILES]:
        try:
            points.append(point(read_scan(path), str(path)))
        except ValueError as e:
            skipped.append(str(e))
    points.sort(key=lambda p: p.started_at)
    return points, skipped


def with_current(points: list[HistoryPoint], result: ScanResult, source: str) -> list[HistoryPoint]:
    """The earlier scans and this one, oldest first (this scan's own file, if already in the folder, counts once)."""
    now = point(result, source)
    earlier = [p for p in points if p.started_at != now.started_at]
    return sorted([*earlier, now], key=lambda p: p.started_at)
