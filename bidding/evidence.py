"""Evidence for the collusion checks (RULES.md §15.3): fingerprints and price patterns.

Flags are leads for the evaluation committee and the supervisor to judge; nothing here rejects
a bid. A single weak signal (say a shared IP on public Wi-Fi) is never enough on its own.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

META_FIELDS = ("author", "creator", "last_modified_by", "producer")


def document_metadata(kind: str, content: bytes) -> dict[str, str]:
    """Author / creator / last-modified-by of a PDF or an Office file ({} if none or unreadable)."""
    try:
        if kind == "pdf":
            return _pdf_metadata(content)
        if kind in ("docx", "xlsx", "pptx"):
            return _office_metadata(content)
    except Exception:  # a damaged file yields no evidence, never a failed decryption
        logger.info("metadata unreadable for a %s bid file", kind)
    return {}


def _pdf_metadata(content: bytes) -> dict[str, str]:
    from pypdf import PdfReader

    info: Mapping[str, Any] = PdfReader(io.BytesIO(content)).metadata or {}
    result = {
        "author": info.get("/Author"),
        "creator": info.get("/Creator"),
        "producer": info.get("/Producer"),
    }
    return {k: str(v).strip() for k, v in result.items() if v and str(v).strip()}


def _office_metadata(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        try:
            xml = archive.read("docProps/core.xml").decode("utf-8", "replace")
        except KeyError:
            return {}
    result = {}
    for tag, key in (("dc:creator", "author"), ("cp:lastModifiedBy", "last_modified_by")):
        match = re.search(rf"<{tag}[^>]*>([^<]*)</{tag}>", xml)
        if match and match.group(1).strip():
            result[key] = match.group(1).strip()
    return result


@dataclass
class Flag:
    kind: str
    label: str
    suppliers: list[str]
    detail: str


def _pairs_sharing(values: dict[str, set[str]], kind: str, label: str) -> list[Flag]:
    by_value: dict[str, set[str]] = defaultdict(set)
    for supplier, vals in values.items():
        for value in vals:
            if value:
                by_value[value].add(supplier)
    return [
        Flag(kind=kind, label=label, suppliers=sorted(names), detail=value)
        for value, names in sorted(by_value.items())
        if len(names) > 1
    ]


def arithmetic_pattern(prices: list[Decimal]) -> bool:
    """Three or more prices with equal differences, or a straight line with R² ≥ 0.999."""
    if len(prices) < 3:
        return False
    ordered = sorted(prices)
    steps = {b - a for a, b in zip(ordered, ordered[1:], strict=False)}
    if len(steps) == 1 and 0 not in steps:
        return True
    n = len(ordered)
    xs = list(range(n))
    ys = [float(p) for p in ordered]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    if syy == 0:
        return False
    return n >= 4 and (sxy * sxy) / (sxx * syy) >= 0.999


def collusion_flags(bids) -> list[Flag]:
    """Flags over the opened bids of a lot (each bid with .supplier, .files, .price…)."""
    bids = list(bids)
    name = {b.pk: b.supplier.name for b in bids}
    flags: list[Flag] = []
    flags += _pairs_sharing(
        {name[b.pk]: {b.ip_address or ""} for b in bids}, "ip", _("Same IP address")
    )
    flags += _pairs_sharing({name[b.pk]: {b.device_id} for b in bids}, "device", _("Same device"))
    authors: dict[str, set[str]] = defaultdict(set)
    hashes: dict[str, set[str]] = defaultdict(set)
    for b in bids:
        for f in b.files.all():
            hashes[name[b.pk]].add(f.sha256)
            for key in ("author", "last_modified_by"):
                if f.metadata.get(key):
                    authors[name[b.pk]].add(f.metadata[key])
    flags += _pairs_sharing(authors, "author", _("Same document author"))
    flags += _pairs_sharing(hashes, "file", _("Identical file"))
    priced = [b for b in bids if b.price is not None]
    flags += _pairs_sharing(
        {name[b.pk]: {f"{b.price:.2f}"} for b in priced}, "price", _("Identical price")
    )
    if arithmetic_pattern([b.price for b in priced]):
        flags.append(
            Flag(
                kind="pattern",
                label=_("Prices in an arithmetic pattern"),
                suppliers=sorted(name[b.pk] for b in priced),
                detail=", ".join(f"{b.price:.2f}" for b in sorted(priced, key=lambda b: b.price)),
            )
        )
    return flags
