"""The PDF cache: one file per content hash, outside output/."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from plugins.hardlinks import share
from plugins.memo import KeptResults, key_of
from plugins.model import SourceFile

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
    """Put the cached PDF at ``target``: a hard link (``hardlinks.share``)."""
    share(cached, target)


class PlanMemo:
    """Which cached PDF each bulletin's inputs made, from one build to the next.

    Planning an edition (its print HTML, twice, and the bytes of its images, to
    find its cache key) costs about 5 ms a bulletin: seconds for an archive of
    a thousand, on every build. The inputs are the site's digest
    (``plugins.content.kept.site_digest``: the theme, plugins, settings and
    requirements, every header and every other file of content/) and the
    bulletin's own text; a bulletin whose inputs made a PDF still in the cache
    is published from it without planning.
    """

    def __init__(self, cache_root: str | Path, lang: str, site: str):
        self.cache_root, self.site = cache_root, site
        self.keys = KeptResults(Path(cache_root) / "pdf" / f"plans-{lang}.json")

    def cached(self, file: SourceFile) -> Path | None:
        """The cached PDF the same inputs made, if it is still in the cache."""
        key = self.keys.get(key_of(self.site, file.relative, file.text))
        cached = cache_path(self.cache_root, key) if key else None
        return cached if cached is not None and cached.is_file() else None

    def remember(self, file: SourceFile, cached: Path) -> None:
        self.keys.put(key_of(self.site, file.relative, file.text), cached.stem)

    def save(self) -> None:
        self.keys.save()
