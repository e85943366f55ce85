"""How wide a line of text is in the theme's font, so the chart wraps its labels.

SVG ``<text>`` never wraps by itself: the chart breaks its labels into lines at
build time, measured with the advance widths of the font the page shows
(DejaVu Sans, shipped in theme/static/fonts and declared in tokens.css).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Face:
    """Advance widths of one font file, in font units."""

    advances: Mapping[str, int]
    units_per_em: int
    fallback: int  # the advance of a character the font lacks (its .notdef)


@dataclass(frozen=True)
class Typeface:
    """The regular and bold faces the chart's text uses."""

    regular: Face
    bold: Face

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of ``text`` set on one line at ``size`` units, without kerning."""
        face = self.bold if bold else self.regular
        units = sum(face.advances.get(char, face.fallback) for char in text)
        return units * size / face.units_per_em


def read_face(path: Path) -> Face:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    metrics = font["hmtx"].metrics
    advances = {chr(code): metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return Face(advances, font["head"].unitsPerEm, metrics[".notdef"][0])


@functools.cache
def theme_typeface(fonts: Path) -> Typeface:
    """The typeface of the theme's ``static/fonts`` folder (read once per build process)."""
    return Typeface(read_face(fonts / FONT_FILES[False]), read_face(fonts / FONT_FILES[True]))
