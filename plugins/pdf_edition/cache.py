"""The PDF cache: one file per content hash, outside output/."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# Bump when render options change in a way the inputs below do not show.
RENDER_VERSION = "1"


def assets_digest(files: Iterable[Path], weasyprint_version: str) -> str:
    """Hash of everything besides the HTML that shapes a PDF: template, CSS, fonts."""
    digest = hashlib.sha256(f"{RENDER_VERSION}\0{weasyprint_version}\0".encode())
    for path in sorted(set(files)):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def asset_files(theme: str | Path) -> list[Path]:
    """The theme files a PDF edition depends on."""
    theme = Path(theme)
    files = [
        theme / "static" / "css" / "print.css",
        theme / "static" / "css" / "tokens.css",
    ]
    files += sorted((theme / "templates" / "pdf_edition").glob("*.html"))
    files += sorted(p for p in (theme / "static" / "fonts").glob("*") if p.is_file())
    return [p for p in files if p.is_file()]


def cache_key(
    assets: str, html_with_toc: str, html_without_toc: str, settings: Mapping[str, Any]
) -> str:
    """The content hash a rendered PDF is stored under."""
    digest = hashlib.sha256(assets.encode())
    for part in (html_with_toc, html_without_toc, repr(sorted(settings.items()))):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def cache_path(cache_root: str | Path, key: str) -> Path:
    return Path(cache_root) / "pdf" / key[:2] / f"{key}.pdf"


def publish(cached: Path, target: Path) -> None:
    """Put the cached PDF at ``target`` (a hard link when possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
