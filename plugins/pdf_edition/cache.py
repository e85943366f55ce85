"""The PDF cache: one file per content hash, outside output/."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugins.hardlinks import share
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


@dataclass
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

    path: Path  # <cache>/pdf/plans-<lang>.json
    site: str
    known: Mapping[str, str] = field(default_factory=dict)  # inputs digest -> cache key
    now: dict[str, str] = field(default_factory=dict)  # this build's

    @classmethod
    def load(cls, cache_root: str | Path, lang: str, site: str) -> PlanMemo:
        path = Path(cache_root) / "pdf" / f"plans-{lang}.json"
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        return cls(path, site, known if isinstance(known, dict) else {})

    def inputs(self, file: SourceFile) -> str:
        text = f"{self.site}\0{file.relative}\0{file.text}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def cached(self, file: SourceFile, cache_root: str | Path) -> Path | None:
        """The cached PDF the same inputs made, if it is still in the cache."""
        inputs = self.inputs(file)
        key = self.known.get(inputs)
        if key is None or not cache_path(cache_root, key).is_file():
            return None
        self.now[inputs] = key
        return cache_path(cache_root, key)

    def remember(self, file: SourceFile, cached: Path) -> None:
        self.now[self.inputs(file)] = cached.stem

    def save(self) -> None:
        """Keep this build's entries (an archive's, not every edit's ever)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.now), encoding="utf-8")
        temporary.replace(self.path)
