"""Every Markdown file of content/ read once into the model, before Pelican runs.

Meetings and budget updates are read first: a bulletin's
``[[calendrier …]]`` marker renders the meetings while the bulletin is
converted. ``invoke check`` and the build both start here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from plugins.budget.reading import BUDGET_DIR, History, history_from_files
from plugins.content.conversion import (
    ConversionStore,
    Converter,
    convert_texts,
    markdown_settings,
)
from plugins.histoires.reading import HISTOIRES_DIR, Wall, wall_from_files
from plugins.i18n.twins import item_slug, translation_groups
from plugins.meetings.reading import (
    MEETINGS_DIR,
    Catalogue,
    catalogue_from_files,
    is_meeting_file,
)
from plugins.meetings.schedule import ScheduleExtension
from plugins.memo import cache_root
from plugins.model import (
    Bulletin,
    Problem,
    SourceFile,
    bulletin_of,
    header_fields,
    relative_source,
    series_table,
)
from plugins.pools import JobFailure, worker_count

BULLETINS_DIR = "bulletins"
PAGES_DIR = "pages"
DEFAULT_SIZE_LIMIT = 1_000_000


@dataclass(frozen=True)
class ContentModel:
    """What content/ holds, read once: every file and the typed meetings and budget.

    ``problems`` are the load's own: files too big, not UTF-8, or that
    Markdown could not convert (those files are not in the model).
    """

    root: Path
    bulletins: tuple[SourceFile, ...] = ()
    pages: tuple[SourceFile, ...] = ()
    meetings: tuple[SourceFile, ...] = ()
    budget: tuple[SourceFile, ...] = ()
    histoires: tuple[SourceFile, ...] = ()  # read as text: their messages are not Markdown
    catalogue: Catalogue | None = None
    history: History | None = None
    wall: Wall | None = None
    problems: tuple[Problem, ...] = ()
    by_source: Mapping[str, SourceFile] = field(default_factory=dict, compare=False)
    # Absolute source path -> the bulletins (or pages) that translate each other.
    translations: Mapping[str, tuple[SourceFile, ...]] = field(default_factory=dict, compare=False)
    # Absolute source path -> the typed bulletin (valid headers only), the slug.
    typed: Mapping[str, Bulletin] = field(default_factory=dict, compare=False)
    slugs: Mapping[str, str] = field(default_factory=dict, compare=False)

    def files(self) -> tuple[SourceFile, ...]:
        return self.bulletins + self.pages + self.meetings + self.budget + self.histoires

    def file(self, source_path: str | os.PathLike[str]) -> SourceFile | None:
        """The loaded file at an absolute path, or None."""
        return self.by_source.get(os.path.abspath(source_path))

    def in_lang(self, files: Iterable[SourceFile], lang: str) -> list[SourceFile]:
        return [file for file in files if file.lang == lang]

    def langs(self) -> dict[str, str | None]:
        """The language of each loaded file, by absolute path."""
        return {path: file.lang for path, file in self.by_source.items()}

    def bulletin(self, file: SourceFile) -> Bulletin | None:
        """The typed bulletin of ``file``, or None (a page, or a header that cannot
        make one: validation says why)."""
        return self.typed.get(file.source_path)

    def slug(self, file: SourceFile) -> str:
        """The slug of a bulletin or page (see ``plugins.i18n.twins.item_slug``)."""
        return self.slugs[file.source_path]

    def translations_of(self, file: SourceFile) -> tuple[SourceFile, ...]:
        """``file`` and the files of its folder that share its translation key."""
        return self.translations.get(file.source_path, (file,))


def content_files(settings: Mapping[str, Any], folder: str) -> tuple[list[Path], list[Path]]:
    """Every Markdown file under ``<PATH>/<folder>``, and every file there under another
    Markdown extension (``other_markdown_problems``), each in a stable order
    (IGNORE_FILES applied to each part of the path): one walk of the folder."""
    markdown, other = [], []
    for directory, _dirs, files in os.walk(Path(settings["PATH"]) / folder):
        for name in files:
            if name.endswith(".md"):
                markdown.append(Path(directory, name))
            elif os.path.splitext(name)[1].lower() in OTHER_MARKDOWN:
                other.append(Path(directory, name))
    return (
        [path for path in sorted(markdown) if not is_ignored(path, settings)],
        [path for path in sorted(other) if not is_ignored(path, settings)],
    )


def is_ignored(path: Path, settings: Mapping[str, Any]) -> bool:
    """Whether a part of ``path`` below the content folder matches ``IGNORE_FILES``
    (``.*``, ``_*``, backups); the folders above it never count."""
    patterns = tuple(settings.get("IGNORE_FILES", []))
    parts = os.path.relpath(path, settings["PATH"]).split(os.sep)
    return any(ignored_name(part, patterns) for part in parts)


@functools.lru_cache(maxsize=1024)  # folder names come back for every file
def ignored_name(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch(name, pattern) for pattern in patterns)


def is_staff_note(path: Path) -> bool:
    """A README.md among meetings or stories: a note for staff, not content."""
    return not is_meeting_file(path.name)


# Extensions Pelican's Markdown reader also takes; this site reads ``.md`` only.
OTHER_MARKDOWN = (".markdown", ".mkd", ".mdown")


def other_markdown_problems(settings: Mapping[str, Any], paths: list[Path]) -> list[Problem]:
    """A Markdown file under another extension (``paths``) would be silently left out:
    say so."""
    return [
        Problem(
            relative_source(path, settings),
            1,
            f"extension « {path.suffix} » : ce fichier n'est pas lu ; renommez-le en "
            f"« {path.stem}.md »",
        )
        for path in paths
    ]


def _megabytes(size: int) -> str:
    amount = Decimal(size) / Decimal(1_000_000)
    return f"{format_decimal(round(amount, 1), locale='fr_CA')} Mo"


def oversized_problem(path: str, size: int, limit: int) -> Problem:
    return Problem(
        path,
        1,
        f"fichier trop volumineux ({_megabytes(size)} ; limite {_megabytes(limit)}) "
        ": découpez-le en plusieurs bulletins, ou retirez le texte ou les images "
        "collés par erreur",
    )


def undecodable_problem(path: str, error: UnicodeDecodeError) -> Problem:
    line = error.object.count(b"\n", 0, error.start) + 1
    return Problem(
        path,
        line,
        f"impossible de lire ce fichier : le fichier n'est pas en UTF-8 (octet invalide "
        f"ligne {line}) ; enregistrez-le en UTF-8",
    )


@dataclass(frozen=True)
class RawFile:
    """A file's bytes and text before conversion."""

    source: Path
    path: str
    relative: str
    raw: bytes
    text: str


def read_files(
    paths: Iterable[Path], settings: Mapping[str, Any], content: Path
) -> Iterator[RawFile | Problem]:
    """Each file's bytes and text, or the problem that keeps it out of the model."""
    limit = int(settings.get("MAX_SOURCE_BYTES") or DEFAULT_SIZE_LIMIT)
    for source in paths:
        path = relative_source(source, settings)
        try:
            size = source.stat().st_size
            if size > limit:
                yield oversized_problem(path, size, limit)
                continue
            raw = source.read_bytes()
        except OSError as error:
            yield Problem(path, 1, f"impossible de lire ce fichier : {error.strerror}")
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            yield undecodable_problem(path, error)
            continue
        relative = source.relative_to(content).as_posix()
        yield RawFile(source, path, relative, raw, text)


def converted(
    files: list[RawFile],
    converter: Converter,
    settings: Mapping[str, Any],
    stored: ConversionStore,
    expand: bool,
) -> tuple[list[SourceFile], list[Problem]]:
    """The files with their HTML; Markdown's own failures as problems."""
    results = convert_texts(
        converter,
        [(file.text, file.raw) for file in files],
        stored,
        worker_count(settings.get("MARKDOWN_JOBS")),
        expand,
    )
    loaded, problems = [], []
    for file, (key, result) in zip(files, results, strict=True):
        if isinstance(result, JobFailure):
            message = f"conversion Markdown impossible : {result.kind} : {result.message}"
            problems.append(Problem(file.path, 1, message))
            continue
        loaded.append(
            SourceFile(
                path=file.path,
                source_path=os.path.abspath(file.source),
                relative=file.relative,
                text=file.text,
                fields=header_fields(file.text),
                html=result.html,
                meta=result.meta,
                formatted=result.formatted,
                made_from=key,
            )
        )
    return loaded, problems


def load_content(settings: Mapping[str, Any]) -> ContentModel:
    """Read every bulletin, page, meeting, budget update and story once."""
    content = Path(os.path.abspath(settings["PATH"]))  # as Pelican names its files
    problems: list[Problem] = []
    read: dict[str, list[RawFile]] = {}
    unreadable_meetings = []
    for folder in (MEETINGS_DIR, BUDGET_DIR, BULLETINS_DIR, PAGES_DIR, HISTOIRES_DIR):
        paths, others = content_files(settings, folder)
        if folder in (MEETINGS_DIR, HISTOIRES_DIR):
            paths = [p for p in paths if not is_staff_note(p)]
        read[folder] = []
        problems += other_markdown_problems(settings, others)
        for item in read_files(paths, settings, content):
            if isinstance(item, Problem):
                problems.append(item)
                if folder == MEETINGS_DIR:
                    unreadable_meetings.append(item.path)
            else:
                read[folder].append(item)

    plain = Converter(
        markdown_settings(settings.get("MARKDOWN") or {}),
        tuple(settings.get("FORMATTED_FIELDS", ("summary",))),
    )
    stored = ConversionStore(cache_root(settings))
    meetings, found = converted(read[MEETINGS_DIR], plain, settings, stored, expand=False)
    problems += found
    budget, found = converted(read[BUDGET_DIR], plain, settings, stored, expand=False)
    problems += found
    prefix = f"{relative_source(content, settings)}/{MEETINGS_DIR}/"
    catalogue = catalogue_from_files(
        meetings,
        settings,
        {path.removeprefix(prefix).removesuffix(".md") for path in unreadable_meetings},
    )
    history = history_from_files(budget)

    extension = ScheduleExtension(catalogue, settings.get("GROUPS", {}), str(settings["THEME"]))
    expanding = Converter(plain.settings, plain.formatted_fields, extension, extension.digest())
    bulletins, found = converted(read[BULLETINS_DIR], expanding, settings, stored, expand=True)
    problems += found
    pages, found = converted(read[PAGES_DIR], expanding, settings, stored, expand=True)
    problems += found
    stored.save()
    histoires = [
        SourceFile(file.path, os.path.abspath(file.source), file.relative, file.text, fields)
        for file in read[HISTOIRES_DIR]
        for fields in (header_fields(file.text),)
    ]
    wall = wall_from_files(histoires, settings)
    everything = bulletins + pages + meetings + budget + histoires
    table = series_table(settings)
    typed = {f.source_path: b for f in bulletins if (b := bulletin_of(f, table)) is not None}
    slugs = {f.source_path: item_slug(f, settings, typed.get(f.source_path)) for f in bulletins}
    slugs.update((f.source_path, item_slug(f, settings, None)) for f in pages)
    translations = {
        file.source_path: group
        for files in (bulletins, pages)
        for group in translation_groups(files, slugs).values()
        for file in group
    }
    return ContentModel(
        root=content,
        bulletins=tuple(bulletins),
        pages=tuple(pages),
        meetings=tuple(meetings),
        budget=tuple(budget),
        histoires=tuple(histoires),
        catalogue=catalogue,
        history=history,
        wall=wall,
        problems=tuple(problems),
        by_source={file.source_path: file for file in everything},
        translations=translations,
        typed=typed,
        slugs=slugs,
    )
