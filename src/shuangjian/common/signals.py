"""Signals the lower layers send for the areas above them to listen to (issue 13: cross-area
follow-ups go through signals registered by the area that listens).

:data:`records_changed` says that records behind the statistics changed in a way Django's own
``post_save``/``post_delete`` do not report: a bulk write (an import, ``bulk_create``,
``update_with_history``, rows written by :mod:`shuangjian.common.bulkinsert`) or a daily job.
Keyword argument ``regions``: a set of region codes the changed records belong to (their county,
or the city / province for records held at that level), or None when the writer does not know
(then every region counts as changed). The statistics area (``shuangjian.stats.snapshots``) marks
its precomputed figures of those regions and their ancestors for recomputation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

records_changed = Signal()


def records_changed_send(sender: Any, regions: Iterable[str] | None = None) -> None:
    """Send :data:`records_changed` for ``regions`` (region codes; None: all regions)."""
    records_changed.send(sender=sender, regions=None if regions is None else frozenset(regions))
