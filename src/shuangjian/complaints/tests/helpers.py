"""Image builders for the tests (and the scoping case of complaints:photo)."""

from __future__ import annotations

import io

from PIL import Image


def jpeg_bytes(width: int = 64, height: int = 48, *, gps: bool = False, color=(200, 30, 30)) -> bytes:
    """A small JPEG; with ``gps`` it carries an EXIF block with a GPS position (长沙, 28.19N 112.97E)."""
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x0112] = 1  # Orientation
        gps_ifd = {1: "N", 2: (28.0, 11.0, 24.0), 3: "E", 4: (112.0, 58.0, 12.0)}
        exif[0x8825] = gps_ifd  # GPSInfo
        image.save(out, format="JPEG", exif=exif, quality=90)
    else:
        image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 200, 10, 128)).save(out, format="PNG")
    return out.getvalue()
