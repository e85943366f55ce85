"""Is output/ already what a build would write? (like make: skip a no-op build).

A build records a fingerprint of everything that shapes the site (content,
theme, plugins, settings files, pinned requirements, the settings overrides
and the day, since "upcoming meetings" depend on it) and of the output it
wrote. The next build with the same inputs and an untouched output/ has
nothing to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from plugins.walks import tree_entries

MANIFEST_NAME = "build-manifest.json"


def tree_digest(roots: Iterable[Path]) -> str:
    """A digest of the files below ``roots`` (missing roots count as empty)."""
    digest = hashlib.sha256()
    for root in roots:
        digest.update(f"{root}\n".encode())
        if root.exists():
            for entry in tree_entries(root):
                digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()


def inputs_digest(content: Path, code: str) -> str:
    """Everything a build reads, as one digest: content/ and ``code_digest``."""
    return hashlib.sha256((tree_digest([content]) + code).encode()).hexdigest()


def code_digest(project: Path, conf: Path, overrides: dict[str, Any], today: dt.date) -> str:
    """What shapes every page besides the content: the theme, the plugins, the settings
    files and their overrides, the pinned requirements and the day."""
    roots = [
        project / "theme",
        project / "plugins",
        conf,
        project / "pelicanconf.py",
        project / "publishconf.py",
        project / "requirements.txt",
    ]
    extra = json.dumps(overrides, sort_keys=True, default=str) + today.isoformat()
    return hashlib.sha256((tree_digest(roots) + extra).encode()).hexdigest()


def manifest_path(cache: Path, output: Path) -> Path:
    key = hashlib.sha256(str(output).encode()).hexdigest()[:12]
    return cache / f"{key}-{MANIFEST_NAME}"


def published_record(cache: Path, output: Path) -> dict[str, Any] | None:
    """The record of the build that wrote ``output``, when output/ is still what it
    wrote (nobody changed it by hand since), else None."""
    try:
        record = json.loads(manifest_path(cache, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not output.is_dir() or record.get("output") != tree_digest([output]):
        return None
    return record


def is_fresh(record: dict[str, Any] | None, inputs: str) -> bool:
    """Whether the published site's ``record`` was built from these ``inputs``."""
    return record is not None and record.get("inputs") == inputs


def record_build(
    cache: Path,
    output: Path,
    inputs: str,
    advice: list[str],
    pages: dict[str, tuple[str, list[str]]] | None = None,
) -> None:
    """Remember what this successful build read and wrote (and the key and files of
    each page written through Pelican's writer: plugins.content.kept)."""
    cache.mkdir(parents=True, exist_ok=True)
    record = {
        "inputs": inputs,
        "output": tree_digest([output]),
        "advice": advice,
        "pages": pages or {},
    }
    target = manifest_path(cache, output)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    temporary.replace(target)
