"""What each report format needs of the machine, checked before a scan starts: a format whose needs are missing is
named with what to install, and every other format is still written (exit 3 at the end says one was not)."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import warnings
from pathlib import Path

PANGO = ("WeasyPrint cannot load Pango: install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
         "(Debian/Ubuntu) or pango harfbuzz (RHEL/openEuler/Kylin)")
CJK = ("no CJK font: install fonts-wqy-microhei or fonts-noto-cjk (Debian/Ubuntu), or google-noto-sans-cjk-fonts "
       "/ wqy-microhei-fonts (RHEL/openEuler/Kylin)")


def _pango() -> str | None:
    try:
        # its font warnings and its banner on a failed import are said better here
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            import weasyprint  # noqa: F401  (loads Pango through cffi at import)
    except (OSError, ImportError) as e:
        return f"{PANGO} ({type(e).__name__}: {str(e)[:120]})"
    return None


_CJK_FILES = re.compile(r"wqy|noto\w*cjk|sourcehan|source-han|droidsansfallback|simsun|simhei|msyh|ukai|uming", re.I)
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def has_cjk_font() -> bool:
    """fontconfig knows a font covering Chinese (the report's text): the lookup WeasyPrint does. Without fc-list,
    a known CJK font file in the usual folders."""
    fc = shutil.which("fc-list")
    if fc is None:
        return any(_CJK_FILES.search(p.name) for d in _FONT_DIRS for p in _walk(Path(d).expanduser()))
    try:
        found = subprocess.run([fc, ":lang=zh", "file"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def _walk(folder: Path):
    return (p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else iter(())


def _pdf() -> str | None:
    return _pango() or (None if has_cjk_font() else CJK)


CHECKS = {"pdf": _pdf}


def missing_needs(formats: list[str]) -> dict[str, str]:
    """format -> what is missing and what to install, for the formats that cannot be written on this machine."""
    problems = {}
    for f in formats:
        check = CHECKS.get(f)
        why = check() if check else None
        if why:
            problems[f] = why
    return problems
