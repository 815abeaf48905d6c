"""Input checks of the registry: licence-material files (PDF structure, image pixels) and date bounds.

Material files are judged by their content. An image must decode with Pillow and have at most
``MAX_MATERIAL_PIXELS`` pixels — the same limit as report photos (complaints.photos), read from the
header before any pixel is decoded, so a decompression bomb is refused without being expanded. A
PDF must be structurally plausible: ``%PDF-1.x``/``%PDF-2.x`` header, at least one indirect object
(``n g obj … endobj``), a ``/Root`` catalogue reference, a ``startxref`` offset inside the file and
an ``%%EOF`` trailer near the end, and at least ``MIN_PDF_BYTES`` bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings

from shuangjian.common.errors import DomainError
from shuangjian.common.validation import MAX_IMAGE_PIXELS, date_bound_error

MAX_MATERIAL_PIXELS = MAX_IMAGE_PIXELS  # 40 megapixels, as report photos
MIN_PDF_BYTES = 200  # the smallest real one-page PDF is larger
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)

#: Earliest 审批日期/终止日期/排课日期 accepted from a file or form (the registry has no earlier records).
EARLIEST_DATE = dt.date(1980, 1, 1)
#: Sessions (排课) may be scheduled up to a year ahead.
SESSION_DAYS_AHEAD = 366
__all__ = [
    "EARLIEST_DATE",
    "SESSION_DAYS_AHEAD",
    "MaterialError",
    "check_image",
    "check_pdf",
    "date_bound_error",
]


class MaterialError(DomainError):
    """A refused material file; the Chinese message names the file and the reason."""

    code = "material_refused"


def check_pdf(data: bytes, filename: str) -> None:
    """Raise :class:`MaterialError` unless ``data`` looks like a complete PDF (see module docstring)."""
    if not _PDF_HEADER.match(data):
        raise MaterialError(f"文件“{filename}”不是有效的PDF文件：缺少PDF文件头（%PDF-版本号）")
    if len(data) < MIN_PDF_BYTES:
        raise MaterialError(f"文件“{filename}”不是完整的PDF文件：只有{len(data)}字节")
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise MaterialError(f"文件“{filename}”不是完整的PDF文件：缺少文件结尾标记（%%EOF），可能上传不完整")
    found = list(_PDF_STARTXREF.finditer(tail))
    match = found[-1] if found else None
    if match is None or int(match.group(1)) >= len(data):
        raise MaterialError(f"文件“{filename}”不是完整的PDF文件：缺少有效的交叉引用表位置（startxref）")
    if not _PDF_OBJECT.search(data) or b"endobj" not in data:
        raise MaterialError(f"文件“{filename}”不是完整的PDF文件：不含任何PDF对象")
    if b"/Root" not in data:
        raise MaterialError(f"文件“{filename}”不是完整的PDF文件：缺少文档目录（/Root）")


def check_image(data: bytes, filename: str) -> None:
    """Raise :class:`MaterialError` unless ``data`` is a decodable image of at most 40 megapixels."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_MATERIAL_PIXELS:
                    raise MaterialError(
                        f"文件“{filename}”的图片尺寸过大（{width}×{height}，约{width * height / 1e6:.0f}百万像素），"
                        f"不能超过{MAX_MATERIAL_PIXELS // 1_000_000}百万像素，请缩小后上传"
                    )
                image.verify()
    except MaterialError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MaterialError(
            f"文件“{filename}”的图片尺寸过大，不能超过{MAX_MATERIAL_PIXELS // 1_000_000}百万像素，请缩小后上传"
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for crafted files
        raise MaterialError(f"文件“{filename}”不是有效的图片（无法解码）") from None
