"""The CJK font of charts and generated documents (Debian's Noto Sans CJK), for matplotlib."""

from __future__ import annotations

from typing import Any

CJK_FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
]


def cjk_font() -> Any:
    """matplotlib ``FontProperties`` of the first CJK font found in :data:`CJK_FONT_PATHS` (registered
    with matplotlib's font manager), or None when none is installed."""
    from matplotlib import font_manager

    for path in CJK_FONT_PATHS:
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
        except (FileNotFoundError, RuntimeError, OSError):
            continue
    return None
