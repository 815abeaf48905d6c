"""Photo intake for reports: content-type check, size and pixel limits, re-encoding, thumbnails.

Every accepted photo is decoded with Pillow and written anew as a baseline JPEG from its pixels
only, so no metadata survives (EXIF with GPS position, XMP, IPTC, ICC profile, comments). The
EXIF orientation is applied to the pixels first so the picture stays upright.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shuangjian.common.errors import DomainError
from shuangjian.common.validation import MAX_IMAGE_PIXELS

MAX_PHOTOS = 9
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # per uploaded file
MAX_PHOTO_PIXELS = MAX_IMAGE_PIXELS  # decoded width × height (decompression bombs)
MIN_PHOTO_SIDE = 32  # smaller is not a photo of anything
STORED_MAX_SIDE = 2560  # longest side of the stored copy
THUMB_MAX_SIDE = 320
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP", "MPO": "JPEG"}


class PhotoError(DomainError):
    """A refused photo; the message (Chinese) names the file and the reason."""

    code = "photo_refused"


@dataclass(frozen=True)
class ProcessedPhoto:
    """A cleaned photo: JPEG bytes of the stored copy and of its thumbnail, with its size."""

    data: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh image built from the pixels: no info dict, no exif=, no icc_profile= is passed on.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def process_photo(name: str, data: bytes) -> ProcessedPhoto:
    """Validate one uploaded file by its content and return its cleaned JPEG and thumbnail.

    Raises :class:`PhotoError` (Chinese message naming ``name``) when the file is empty or larger
    than ``MAX_PHOTO_BYTES``, is not a JPEG/PNG/WebP/GIF/BMP image whatever its extension, cannot be
    decoded, has more than ``MAX_PHOTO_PIXELS`` pixels, or is smaller than ``MIN_PHOTO_SIDE``.
    """
    label = name or _("照片")
    if not data:
        raise PhotoError(_("“%(name)s”是空文件") % {"name": label})
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(
            _("“%(name)s”太大（%(size).1f MB），每张照片不超过 %(max)d MB")
            % {"name": label, "size": len(data) / 1024 / 1024, "max": MAX_PHOTO_BYTES // 1024 // 1024}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            _("“%(name)s”不是有效的图片文件（仅支持 JPG、PNG、WebP 等照片格式）") % {"name": label}
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for crafted files
        raise PhotoError(_("“%(name)s”无法识别为图片") % {"name": label}) from None
    if fmt not in ACCEPTED_FORMATS:
        raise PhotoError(
            _("“%(name)s”的格式（%(fmt)s）不受支持，请上传 JPG、PNG 或 WebP 照片")
            % {"name": label, "fmt": fmt}
        )
    if width * height > MAX_PHOTO_PIXELS:
        raise PhotoError(
            _("“%(name)s”像素过多（%(w)d×%(h)d），单张不超过 %(max)d 万像素")
            % {"name": label, "w": width, "h": height, "max": MAX_PHOTO_PIXELS // 10000}
        )
    if min(width, height) < MIN_PHOTO_SIDE:
        raise PhotoError(_("“%(name)s”尺寸过小（%(w)d×%(h)d）") % {"name": label, "w": width, "h": height})
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    except Exception:  # noqa: BLE001 - truncated or corrupt image data
        raise PhotoError(_("“%(name)s”已损坏，无法读取") % {"name": label}) from None
    if max(image.size) > STORED_MAX_SIDE:
        image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    stored = _encode(image)
    thumb_image = image.copy()
    thumb_image.thumbnail((THUMB_MAX_SIDE, THUMB_MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = _encode(thumb_image)
    return ProcessedPhoto(
        data=stored,
        thumbnail=thumb,
        width=image.size[0],
        height=image.size[1],
        sha256=hashlib.sha256(stored).hexdigest(),
    )
