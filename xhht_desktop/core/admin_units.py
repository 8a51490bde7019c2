"""Provinces and communes of Vietnam after the 2025 reform.

The official list comes from the ``vietnam-provinces`` package (34 provinces,
3,321 communes, wards and special zones). Search ignores diacritics and case,
so "dak song" finds "Xã Đăk Song".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward

from xhht_desktop.core import text


@dataclass(frozen=True)
class Division:
    """A province or a commune-level unit, as the set-up wizard lists them."""

    code: str
    name: str
    province_code: str
    key: str  # folded name, for search

    def __str__(self) -> str:
        return self.name


@cache
def provinces() -> tuple[Division, ...]:
    """Every province, in Vietnamese alphabetical order."""
    items = [
        Division(str(p.code.value), p.name, str(p.code.value), text.fold(p.name))
        for p in Province.iter_all()
    ]
    return tuple(sorted(items, key=lambda d: text.sort_key(d.name)))


@cache
def _communes() -> tuple[Division, ...]:
    items = [
        Division(str(w.code.value), w.name, str(w.province_code.value), text.fold(w.name))
        for w in Ward.iter_all()
    ]
    return tuple(sorted(items, key=lambda d: text.sort_key(d.name)))


def province(code: str | int) -> Division | None:
    wanted = str(int(code)) if str(code).strip().isdigit() else str(code)
    return next((p for p in provinces() if p.code == wanted), None)


def commune(code: str | int) -> Division | None:
    """Return the commune (xã, phường, đặc khu) with this official code."""
    wanted = str(int(code)) if str(code).strip().isdigit() else str(code)
    return next((c for c in _communes() if c.code == wanted), None)


def communes(province_code: str | int | None = None, query: str = "") -> list[Division]:
    """Communes of a province (or all), whose names contain every query word."""
    tokens = text.search_tokens(query)
    wanted = str(int(province_code)) if province_code is not None else None
    return [
        c
        for c in _communes()
        if (wanted is None or c.province_code == wanted) and all(t in c.key for t in tokens)
    ]
