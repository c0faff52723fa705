"""The README's Layout and docs/architecture.md name the modules that exist, and every module is named."""
from __future__ import annotations

import re

from conftest import ROOT

MODULE_DIRS = ("scanner", "scanner/platforms", "scanner/transport", "scanner/importers", "reports", "bench", "mutation")


def _section(text: str, title: str) -> str:
    start = text.index(title)
    nxt = text.find("\n## ", start + len(title))
    return text[start: nxt if nxt != -1 else None]


def _named(text: str) -> set[str]:
    return set(re.findall(r"`(?:[\w/]+/)?([\w]+\.py)`", text))


def _existing() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in MODULE_DIRS:
        for f in (ROOT / d).glob("*.py"):
            out.setdefault(f.name, []).append(d)
    for f in (ROOT / "scanner" / "lab").glob("*.py"):
        out.setdefault(f.name, []).append("scanner/lab")
    for f in (ROOT / "checks").rglob("*.py"):
        out.setdefault(f.name, []).append("checks")
    return out


def test_every_module_the_docs_name_exists():
    layout = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
    arch = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    existing = _existing()
    named = _named(layout) | _named(arch)
    assert len(named) > 30
    assert sorted(n for n in named if n not in existing and not n.startswith("test_")) == []


def test_every_scanner_module_is_in_the_readme_layout():
    layout = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Layout")
    named = _named(layout)
    missing = [f"{d}/{f.name}" for d in ("scanner", "scanner/platforms", "scanner/transport")
               for f in sorted((ROOT / d).glob("*.py")) if f.name != "__init__.py" and f.name not in named]
    assert missing == []


def test_architecture_picture_names_every_stage():
    arch = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = arch[arch.index("```"): arch.index("```", arch.index("```") + 3)]
    stages = ["inventory", "runner", "platform collect", "parse", "facts", "checks", "item roll-up", "scoring",
              "reports"]
    positions = [picture.index(s) for s in stages]
    assert positions == sorted(positions)
    for title in ("## Add a platform", "## Add a check", "## Add a report format", "## Add a runner"):
        assert title in arch
