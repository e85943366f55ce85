"""What a Markdown file's converted HTML depends on, as one digest."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import markdown

# Bump when what is stored changes shape.
FORMAT = "2"
# A line like ``[[calendrier gt-financement]]`` pulls content from other files.
EXPANSION_MARKER = re.compile(rb"^\s*\[\[", re.MULTILINE)
# Folders of the content whose files an expansion marker may render.
EXPANSION_SOURCES = ("reunions",)


def extension_name(extension: Any) -> str:
    """A stable name for a Markdown extension given as a string or an instance."""
    if isinstance(extension, str):
        return extension
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}"


def extension_code_digest(extension: Any) -> str:
    """The bytes of the package that defines an extension object (ours change often)."""
    if isinstance(extension, str):
        return ""
    module = sys.modules.get(type(extension).__module__)
    source = getattr(module, "__file__", None)
    if not source:
        return ""
    return files_digest(Path(source).parent.glob("*.py"))


def markdown_fingerprint(markdown_settings: Mapping[str, Any]) -> str:
    """The Markdown settings that shape the HTML, as text stable across processes.

    An extension given as an object (plugins.meetings' schedule) also brings the
    code of its package: editing how it renders invalidates the cache.
    """
    extensions = sorted(
        (extension_name(e), extension_code_digest(e))
        for e in markdown_settings.get("extensions", [])
    )
    configs = sorted(
        (name, repr(sorted(config.items())))
        for name, config in markdown_settings.get("extension_configs", {}).items()
    )
    others = sorted(
        (key, repr(value))
        for key, value in markdown_settings.items()
        if key not in ("extensions", "extension_configs")
    )
    return repr((FORMAT, markdown.__version__, extensions, configs, others))


def files_digest(paths: Iterable[Path]) -> str:
    """One digest of the names and bytes of ``paths``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def expansion_digest(settings: Mapping[str, Any]) -> str:
    """What an expansion marker may render: meetings, groups, theme templates and catalogues.

    Also the sub-site language, which the expanded table is written in when
    the file has no ``Lang``.
    """
    content = Path(settings["PATH"])
    theme = Path(settings["THEME"])
    paths = [
        p for folder in EXPANSION_SOURCES for p in (content / folder).rglob("*") if p.is_file()
    ]
    theme_files = [
        p
        for folder in ("templates", "translations")
        for p in (theme / folder).rglob("*")
        if p.is_file() and p.suffix in (".html", ".po")
    ]
    extra = repr(
        (
            settings.get("DEFAULT_LANG"),
            sorted(settings.get("GROUPS", {}).items()),
            settings.get("BUILD_TODAY"),
            settings.get("TIMEZONE"),
        )
    )
    return hashlib.sha256(
        (files_digest(paths) + files_digest(theme_files) + extra).encode("utf-8")
    ).hexdigest()


def cache_key(text: bytes, fingerprint: str, expansion: str | None) -> str:
    """The key of one file's conversion: its bytes, the settings, and expansions if any."""
    digest = hashlib.sha256()
    digest.update(fingerprint.encode("utf-8") + b"\0")
    digest.update(text)
    if expansion is not None and EXPANSION_MARKER.search(text):
        digest.update(b"\0expansion\0" + expansion.encode("ascii"))
    return digest.hexdigest()
