"""What « the same site, byte for byte » means, with the one exception it has.

Pagefind 1.5.2 (plugins/search) writes the same search index in another byte order
from one run to the next: each filter chunk lists its values, and the metadata file
its filters, in hash-map order, so their names (content hashes) and the entry naming
them change too (upstream Pagefind issue #638: « filter/metadata indexes » still
change; sorted on Pagefind's main branch since, not in a release). Those files are
compared by what cannot change — their size once decompressed, the entry without its
hashes — and every other file of the site byte for byte.
"""

from __future__ import annotations

import gzip
import json
from fnmatch import fnmatch
from pathlib import Path

FILTER_CHUNKS = "pagefind/filter/*.pf_filter"
META = "pagefind/pagefind.*.pf_meta"
ENTRY = "pagefind/pagefind-entry.json"


def site_files(root: Path) -> dict[str, object]:
    """Each file of the site below ``root`` → what two builds of it must share."""
    files: dict[str, object] = {}
    filter_sizes = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        if fnmatch(name, FILTER_CHUNKS):
            filter_sizes.append(len(gzip.decompress(path.read_bytes())))
        elif fnmatch(name, META):
            language = path.name.split(".")[1].split("_")[0]
            files[f"pagefind/pagefind.{language}.pf_meta, decompressed size"] = len(
                gzip.decompress(path.read_bytes())
            )
        elif name == ENTRY:
            entry = json.loads(path.read_text(encoding="utf-8"))
            for language in entry["languages"].values():
                language.pop("hash")
            files[f"{ENTRY}, without hashes"] = entry
        else:
            files[name] = path.read_bytes()
    if filter_sizes:
        files[f"{FILTER_CHUNKS}, decompressed sizes"] = sorted(filter_sizes)
    return files


def differing_files(first: Path, second: Path) -> list[str]:
    """What differs between two sites (see the module's docstring), sorted; [] when none."""
    a, b = site_files(first), site_files(second)
    only = sorted(f"{name} (only in {first.name}/)" for name in a.keys() - b.keys())
    only += sorted(f"{name} (only in {second.name}/)" for name in b.keys() - a.keys())
    shared = sorted(a.keys() & b.keys())
    changed = [f"{name} (content differs)" for name in shared if a[name] != b[name]]
    return only + changed
