"""Loading the region table."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Region, RegionLevel

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"


@dataclass(frozen=True)
class RegionLoadResult:
    """Counts of a load: rows created, updated and unchanged."""

    created: int
    updated: int
    unchanged: int


@transaction.atomic
def regions_load(*, path: Path = DATA_FILE) -> RegionLoadResult:
    """Upsert every division of ``path`` (CSV: code, name, level, parent_code) by code.

    Idempotent: a second run with the same file changes nothing. Parents are written before their
    children; full names are built from the chain of ancestors (湖南省长沙市芙蓉区). No row is
    deleted. Raises ``ValueError`` naming the row when a level or parent is unknown.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    order = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2}
    for index, row in enumerate(rows, start=2):
        if row["level"] not in order:
            raise ValueError(f"第{index}行：级别“{row['level']}”无效")
    rows.sort(key=lambda r: (order[RegionLevel(r["level"])], r["code"]))
    existing = {r.code: r for r in Region.objects.all()}
    full_names: dict[str, str] = {code: r.full_name for code, r in existing.items()}
    to_create: list[Region] = []
    to_update: list[Region] = []
    unchanged = 0
    for row in rows:
        parent_code = row["parent_code"] or None
        if parent_code and parent_code not in full_names:
            raise ValueError(f"区划 {row['code']} 的上级 {parent_code} 不存在")
        full_name = (full_names[parent_code] if parent_code else "") + row["name"]
        full_names[row["code"]] = full_name
        current = existing.get(row["code"])
        if current is None:
            to_create.append(
                Region(
                    code=row["code"],
                    name=row["name"],
                    level=row["level"],
                    parent_id=parent_code,
                    full_name=full_name,
                )
            )
        elif (current.name, current.level, current.parent_id, current.full_name) != (
            row["name"],
            row["level"],
            parent_code,
            full_name,
        ):
            current.name, current.level, current.parent_id, current.full_name = (
                row["name"],
                row["level"],
                parent_code,
                full_name,
            )
            to_update.append(current)
        else:
            unchanged += 1
    # Parents precede children in `rows`, so creating in that order satisfies the foreign keys.
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, ["name", "level", "parent", "full_name"], batch_size=500)
    return RegionLoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)
