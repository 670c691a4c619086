"""App icons for the installers, rendered from resources/voicedesk.svg: PNGs, a Windows .ico, a macOS .icns.

Qt (already a dependency) renders the SVG; Pillow writes the multi-size .ico and .icns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


@dataclass(frozen=True)
class IconSet:
    png_dir: Path      # voicedesk-<size>.png for every size in PNG_SIZES
    png: Path          # the 256 px one, for the Linux .desktop entry and the AppImage
    ico: Path
    icns: Path


def render_pngs(svg: Path, out_dir: Path, sizes: tuple[int, ...] = PNG_SIZES) -> dict[int, Path]:
    """Render `svg` to square transparent PNGs, one per size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine has no screen
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[int, Path] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"voicedesk-{size}.png"
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")
        paths[size] = path
    return paths


def make_icons(svg: Path, out_dir: Path) -> IconSet:
    """Every icon file the three platforms need, under `out_dir`."""
    from PIL import Image

    pngs = render_pngs(svg, out_dir / "png")
    big = Image.open(pngs[1024]).convert("RGBA")
    ico = out_dir / "voicedesk.ico"
    big.save(ico, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    icns = out_dir / "voicedesk.icns"
    big.save(icns)  # Pillow writes every ICNS size from the 1024 px source
    return IconSet(png_dir=out_dir / "png", png=pngs[256], ico=ico, icns=icns)
