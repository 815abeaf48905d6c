"""The vocational major catalogue (职业教育专业目录, 2021) shipped as data files in ``data/``.

One file per level (``catalogue_2021_secondary.txt`` 中职, ``…_associate.txt`` 高职专科,
``…_bachelor.txt`` 职业本科), one "code name" per line: 2 digits a 专业大类, 4 digits a 专业类, 6 digits a
专业 (a trailing K marks a nationally controlled major, 国家控制布点专业). Source and derivation:
``data/README.md``. :func:`read_catalogue` parses them; the data migration ``0002_catalogue_2021`` loads
them into :class:`shuangjian.vocational.models.CatalogueItem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = {
    "SECONDARY": "catalogue_2021_secondary.txt",
    "ASSOCIATE": "catalogue_2021_associate.txt",
    "BACHELOR": "catalogue_2021_bachelor.txt",
}
_LINE = re.compile(r"^(\d{2}|\d{4}|\d{6}K?) (\S.*)$")

#: Published counts of the 2021 edition (教职成〔2021〕2号): majors per level, 19 专业大类.
PUBLISHED_MAJOR_COUNTS = {"SECONDARY": 358, "ASSOCIATE": 744, "BACHELOR": 247}


@dataclass(frozen=True)
class Entry:
    """One catalogue line: level, code, name, kind (CATEGORY / CLASS / MAJOR), parent code."""

    level: str
    code: str
    name: str
    kind: str
    parent: str | None

    @property
    def national_control(self) -> bool:
        return self.code.endswith("K")


def read_catalogue(data_dir: Path = DATA_DIR) -> list[Entry]:
    """Every entry of the three files, parents before children. Raises ``ValueError`` on a bad line."""
    entries: list[Entry] = []
    for level, filename in FILES.items():
        path = data_dir / filename
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = _LINE.match(line)
            if not match:
                raise ValueError(f"{filename}:{number}: 无法解析 {line!r}")
            code, name = match.group(1), match.group(2).strip()
            digits = len(code.rstrip("K"))
            kind = {2: "CATEGORY", 4: "CLASS", 6: "MAJOR"}[digits]
            parent = None if digits == 2 else code[: digits - 2]
            entries.append(Entry(level=level, code=code, name=name, kind=kind, parent=parent))
    return entries
