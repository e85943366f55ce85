"""How wide a line of text is in the theme's font, so the chart wraps its labels.

SVG ``<text>`` never wraps by itself: the chart breaks its labels into lines at
build time, measured with the advance widths of the font the page shows
(DejaVu Sans, shipped in theme/static/fonts and declared in tokens.css).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from plugins.memo import KeptResults, key_of

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


def kept_face(path: Path, kept: KeptResults | None) -> Face:
    """``read_face``, kept in the build cache (``kept``) by the font file's bytes:
    reading a font with fontTools (and importing it) took 0.08 s of every build."""
    if kept is None:
        return read_face(path)
    key = key_of(hashlib.sha256(path.read_bytes()).hexdigest())
    found = kept.get(key)
    if found is not None:
        advances, units_per_em, fallback = json.loads(found)
        return Face(advances, units_per_em, fallback)
    face = read_face(path)
    kept.put(key, json.dumps([dict(face.advances), face.units_per_em, face.fallback]))
    return face


@functools.cache
def theme_typeface(fonts: Path, cache: Path | None = None) -> Typeface:
    """The typeface of the theme's ``static/fonts`` folder (read once per build process;
    kept from one build to the next in ``cache``, the build cache, when given)."""
    kept = KeptResults(cache / "typeface.json") if cache is not None else None
    faces = [kept_face(fonts / FONT_FILES[bold], kept) for bold in (False, True)]
    if kept is not None:
        kept.save()
    return Typeface(*faces)
