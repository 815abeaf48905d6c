"""Administrative divisions (行政区划) by GB/T 2260 code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel

#: Digits of the code shared by every division in a region's subtree, per level.
PREFIX_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.PREFECTURE: 4, RegionLevel.COUNTY: 6}


class Region(models.Model):
    """A province-, prefecture- or county-level division.

    The primary key is the 6-digit GB/T 2260 code, so every record that belongs to a county stores
    the code itself and a region's subtree is a code prefix (``43`` for 湖南省, ``4301`` for 长沙市,
    ``430102`` for 芙蓉区): ``Model.objects.filter(county_id__startswith=region.subtree_prefix)``
    needs no join. Counties directly under a province (省直辖县级, the districts of the four
    municipalities) share the province's 2-digit prefix, so the rule holds for them too.
    """

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=10, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField(_("全称"), max_length=128)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.full_name

    @property
    def subtree_prefix(self) -> str:
        """Code prefix shared by this region and every division below it."""
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    def subtree(self) -> models.QuerySet[Region]:
        """This region and every division below it (one indexed range query on the key)."""
        return Region.objects.filter(code__startswith=self.subtree_prefix)

    def counties(self) -> models.QuerySet[Region]:
        """County-level divisions in this region's subtree."""
        return self.subtree().filter(level=RegionLevel.COUNTY)

    def contains(self, code: str | None) -> bool:
        """Whether the division with ``code`` lies in this region's subtree."""
        return bool(code) and str(code).startswith(self.subtree_prefix)

    def ancestors(self) -> list[Region]:
        """From the province down to this region (inclusive)."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
