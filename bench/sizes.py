"""The largest modules and the longest functions, in lines: the figures the size rules (modules under ~400 lines,
functions under ~60) are measured by.

    python bench/sizes.py [--top 10] [--root DIR] [--json FILE] [PACKAGE ...]    (default packages: scanner checks reports)

A function's length runs from its `def` line (decorators excluded) to its last line; a nested function counts in
its parent's length and also on its own.
"""
from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

DEFAULT_PACKAGES = ("scanner", "checks", "reports")


def modules(root: Path, packages: tuple[str, ...]) -> list[tuple[int, str]]:
    """(lines, path relative to root) of every .py file under the packages."""
    return [(len(p.read_text(encoding="utf-8").splitlines()), p.relative_to(root).as_posix())
            for pkg in packages for p in sorted((root / pkg).rglob("*.py"))]


def functions(root: Path, packages: tuple[str, ...]) -> list[tuple[int, str]]:
    """(lines, "path:line qualified.name") of every function and method under the packages."""
    out: list[tuple[int, str]] = []
    for pkg in packages:
        for p in sorted((root / pkg).rglob("*.py")):
            rel = p.relative_to(root).as_posix()
            _walk(ast.parse(p.read_text(encoding="utf-8"), rel), rel, "", out)
    return out


def _walk(node: ast.AST, rel: str, prefix: str, out: list[tuple[int, str]]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + child.name
            out.append((child.end_lineno - child.lineno + 1, f"{rel}:{child.lineno} {name}"))
            _walk(child, rel, name + ".", out)
        elif isinstance(child, ast.ClassDef):
            _walk(child, rel, prefix + child.name + ".", out)
        else:
            _walk(child, rel, prefix, out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("packages", nargs="*", default=list(DEFAULT_PACKAGES))
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    pkgs = tuple(args.packages)
    mods = sorted(modules(args.root, pkgs), reverse=True)[:args.top]
    funcs = sorted(functions(args.root, pkgs), key=lambda x: (-x[0], x[1]))[:args.top]
    print(f"{args.top} largest modules (lines):")
    for n, where in mods:
        print(f"  {n:5d}  {where}")
    print(f"{args.top} longest functions (lines):")
    for n, where in funcs:
        print(f"  {n:5d}  {where}")
    if args.json:
        args.json.write_text(json.dumps({"modules": [{"lines": n, "path": w} for n, w in mods],
                                         "functions": [{"lines": n, "where": w} for n, w in funcs]}, indent=1))


if __name__ == "__main__":
    main()
