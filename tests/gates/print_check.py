"""poppler's view of a PDF edition: its first page as an image, its fonts."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PdfFont:
    """One row of `pdffonts`: a font the PDF uses and whether it is embedded."""

    name: str
    type: str
    embedded: bool


def pdf_fonts(pdffonts: Path, pdf: Path) -> list[PdfFont]:
    """The fonts of ``pdf`` as `pdffonts` lists them (columns cut by its dashed rule)."""
    lines = subprocess.run(
        [str(pdffonts), str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    header, rule, *rows = lines
    spans, start = [], 0
    for dashes in rule.split(" "):
        spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    names = [header[a:b].strip() for a, b in spans]
    fonts = []
    for row in rows:
        cells = dict(zip(names, (row[a:b].strip() for a, b in spans), strict=True))
        fonts.append(PdfFont(cells["name"], cells["type"], cells["emb"] == "yes"))
    return fonts


def render_first_page(pdftoppm: Path, pdf: Path, target_stem: Path) -> Path:
    """Render page 1 of ``pdf`` at 60 dpi to ``<target_stem>-1.png``; return that file."""
    target_stem.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(pdftoppm), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(target_stem)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    rendered = sorted(target_stem.parent.glob(f"{target_stem.name}-*1.png"))
    if not rendered:
        raise RuntimeError(f"pdftoppm wrote no image for {pdf}")
    return rendered[0]


def png_size(png: Path) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG's IHDR chunk."""
    header = png.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{png} is not a PNG")
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
