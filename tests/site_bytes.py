"""What « the same site, byte for byte » means, with the one exception it has.

Pagefind 1.5.2 (plugins/search) writes the same search index in another byte order
from one run to the next: each filter chunk lists its values, and the metadata file
its filters, in hash-map order, so their names (content hashes) and the entry naming
them change too (upstream Pagefind issue #638: « filter/metadata indexes » still
change; sorted on Pagefind's main branch since, not in a release). Those files (in
``pagefind/`` and in each shard's bundle, ``pagefind/shards/…/``) are compared by what
cannot change — their size once decompressed, the entry without its
hashes — and every other file of the site byte for byte.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

# pagefind/ and each shard's bundle, pagefind/shards/fr-ca-3/ (plugins/search/indexing.py).
BUNDLE = r"pagefind(?:/shards/[^/]+)?"
FILTER_CHUNK = re.compile(rf"({BUNDLE})/filter/[^/]+\.pf_filter")
META = re.compile(rf"({BUNDLE})/pagefind\.(.+?)_[^_/]+\.pf_meta")
ENTRY = re.compile(rf"({BUNDLE})/pagefind-entry\.json")


def site_files(root: Path) -> dict[str, object]:
    """Each file of the site below ``root`` → what two builds of it must share."""
    files: dict[str, object] = {}
    filter_sizes: dict[str, list[int]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if chunk := FILTER_CHUNK.fullmatch(name):
            sizes = filter_sizes.setdefault(f"{chunk[1]}/filter/*.pf_filter", [])
            sizes.append(len(gzip.decompress(path.read_bytes())))
        elif meta := META.fullmatch(name):
            files[f"{meta[1]}/pagefind.{meta[2]}.pf_meta, decompressed size"] = len(
                gzip.decompress(path.read_bytes())
            )
        elif entry_file := ENTRY.fullmatch(name):
            entry = json.loads(path.read_text(encoding="utf-8"))
            for language in entry["languages"].values():
                language.pop("hash")
            files[f"{entry_file[1]}/pagefind-entry.json, without hashes"] = entry
        else:
            files[name] = path.read_bytes()
    for pattern, sizes in filter_sizes.items():
        files[f"{pattern}, decompressed sizes"] = sorted(sizes)
    return files


def differing_files(first: Path, second: Path) -> list[str]:
    """What differs between two sites (see the module's docstring), sorted; [] when none."""
    a, b = site_files(first), site_files(second)
    only = sorted(f"{name} (only in {first.name}/)" for name in a.keys() - b.keys())
    only += sorted(f"{name} (only in {second.name}/)" for name in b.keys() - a.keys())
    shared = sorted(a.keys() & b.keys())
    changed = [f"{name} (content differs)" for name in shared if a[name] != b[name]]
    return only + changed
