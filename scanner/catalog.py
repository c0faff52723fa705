"""The control catalogue (GB/T 22239-2019 Level 3 items) and per-asset-kind applicability, loaded from data."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scanner.datafiles import catalog_dir
from scanner.textio import load_yaml

CATALOG_DIR = catalog_dir()      # package data (scanner/datafiles.py), wherever the package is installed


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    layer: str
    control_point: str
    control_point_zh: str
    control_point_en: str
    text_zh: str
    text_en: str
    weight: float
    weight_source: str
    unit_id: str | None
    text_source: str


@dataclass(frozen=True, slots=True)
class Layer:
    id: str
    zh: str
    en: str
    kind: str


@dataclass(slots=True)
class Catalog:
    name: str
    version: str
    layers: tuple[Layer, ...]
    items: tuple[Item, ...]
    applicability: dict
    index: dict[str, Item] = field(default_factory=dict)
    by_kind: dict[str, list[Item]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {i.id: i for i in self.items}

    def item(self, item_id: str) -> Item:
        return self.index[item_id]

    def has(self, item_id: str) -> bool:
        return item_id in self.index

    def items_for(self, kind: str) -> list[Item]:
        if kind not in self.by_kind:
            pats = self.applicability.get(kind, {}).get("items", [])
            self.by_kind[kind] = [i for i in self.items if any(fnmatch.fnmatchcase(i.id, p) for p in pats)]
        return self.by_kind[kind]

    def not_applicable_reason(self, kind: str, item_id: str) -> str | None:
        return self.applicability.get(kind, {}).get("not_applicable", {}).get(item_id)

    def layer(self, layer_id: str) -> Layer:
        return next(layer for layer in self.layers if layer.id == layer_id)


@cache
def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    data = load_yaml((directory / "gb22239_2019_l3.yaml").read_text(encoding="utf-8"))
    appl = load_yaml((directory / "applicability.yaml").read_text(encoding="utf-8"))
    layers = tuple(Layer(**layer) for layer in data["layers"])
    items = tuple(Item(**{k: it.get(k) for k in Item.__slots__}) for it in data["items"])
    return Catalog(data["catalog"], str(data["version"]), layers, items, appl)
