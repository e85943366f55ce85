"""Validation: every bulletin has its sections, metadata and links right.

The same checks run in two places:

- during the build, for the language of the sub-site being built (the
  translation checks in the French run only), their problems added to the
  run's ProblemLog so that nothing is published;
- in ``invoke check``, through ``collect_problems(settings)``, which reads
  every bulletin with Pelican's readers and writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from collections.abc import Iterator, Mapping
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from pelican import signals

from plugins.model import (
    Problem,
    date_problem,
    metadata_lines,
    metadata_value,
    problem_log,
    relative_source,
    series_table,
)
from plugins.validation.checks import (
    Entry,
    check_duplicate_numbers,
    check_file,
    check_page,
    check_translations,
    entry_of,
)
from plugins.validation.targets import check_targets

BULLETINS_DIR = "bulletins"
PAGES_DIR = "pages"


def series_folder(source: str | Path, content: str | Path) -> str | None:
    """The ``<series>`` of ``content/bulletins/<series>/file.md`` (None elsewhere)."""
    try:
        parts = Path(source).resolve().relative_to(Path(content).resolve() / BULLETINS_DIR).parts
    except ValueError:
        return None
    return parts[0] if len(parts) >= 2 else None


def header_metadata(text: str) -> dict[str, str]:
    """The header as raw strings, for files Pelican cannot read."""
    return {key: metadata_value(text, key) or "" for key in metadata_lines(text)}


def across_files(entries: list[Entry], table, lang: str | None = None) -> list[Problem]:
    """Duplicate numbers (of ``lang``, or all) and, for French or all, translations."""
    found = check_duplicate_numbers([e for e in entries if lang is None or e.lang == lang], table)
    if lang in (None, "fr"):
        found.extend(check_translations(entries, table))
    return found


# ---------------------------------------------------------------------------
# During the build.
# ---------------------------------------------------------------------------


def read_source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8-sig", errors="replace")


def check_sub_site(generator) -> None:
    """Signal handler: check the bulletins of the sub-site's language.

    Per-file results are cached by file content (the cache ``invoke check``
    keeps), so a rebuild only checks again the files that changed.
    """
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]
    table = series_table(settings)
    by_lang = getattr(generator, "articles_by_lang", None) or {lang: list(generator.articles)}
    stamp = fingerprint(settings)
    cached = load_cache(settings, stamp)
    page_ids = template_ids(settings)
    found: list[Problem] = []
    entries = []
    changed = False
    seen: set[tuple] = set()
    for article_lang, articles in by_lang.items():
        if article_lang != lang and lang != "fr":
            continue
        for article in articles:
            path = relative_source(article.source_path, settings)
            raw = Path(article.source_path).read_bytes()
            key = ("build", str(Path(article.source_path).resolve()), path, digest_of(raw))
            if key not in cached and key[1:] in cached:  # `invoke check` read it: same checks
                cached[key], changed = cached[key[1:]], True
            if key not in cached:
                text = raw.decode("utf-8-sig", errors="replace")
                folder = series_folder(article.source_path, settings["PATH"])
                problems = check_file(
                    path, text, article.metadata, table, folder, article._content, page_ids
                )
                cached[key] = (problems, entry_of(path, text, article.metadata, table))
                changed = True
            seen.add(key)
            problems, entry = cached[key]
            if article_lang == lang:
                found.extend(problems)
                found.extend(targets_of(article.source_path, path, settings))
            entries.append(entry)
    if changed:
        save_cache(settings, stamp, without_stale(cached, seen))
    if lang == "fr":
        read = {str(Path(key[1])) for key in seen}
        entries.extend(unread_entries(settings, table, read))
    found.extend(across_files(entries, table, lang))
    problem_log(settings).extend(found)
    generator.articles = without_collisions(generator.articles)


def unread_entries(settings: Mapping[str, Any], table, read: set[str]) -> list[Entry]:
    """The cross-file facts of the bulletins Pelican could not read (an invalid date…).

    Their mistakes are reported elsewhere; they still exist, so their
    translations are not told that no French bulletin carries their key.
    """
    found = []
    for source in bulletin_files(settings):
        if str(source.resolve()) in read:
            continue
        text = read_source(str(source))
        found.append(
            entry_of(relative_source(source, settings), text, header_metadata(text), table)
        )
    return found


def targets_of(source: str | Path, path: str, settings: Mapping[str, Any], pdf=True) -> list:
    """``check_targets`` of one file (never cached: it depends on other files)."""
    text = Path(source).read_bytes().decode("utf-8-sig", errors="replace")
    return check_targets(path, text, Path(source), Path(settings["PATH"]), pdf)


def check_pages(generator) -> None:
    """Signal handler: the source-level checks of every page file.

    Every file of content/pages/ is read, including those Pelican could not.
    """
    settings = generator.settings
    found: list[Problem] = []
    for source in bulletin_files(settings, PAGES_DIR):
        found.extend(page_problems(source, settings))
    problem_log(settings).extend(found)


def page_problems(source: Path, settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem of one page's source."""
    path = relative_source(source, settings)
    text = source.read_bytes().decode("utf-8-sig", errors="replace")
    found = check_page(path, text)
    found.extend(check_targets(path, text, source, Path(settings["PATH"]), pdf=False))
    return found


def without_stale(cached: dict, seen: set[tuple]) -> dict:
    """The build's entries minus older versions of the files just checked and gone files.

    A run sees only some languages: the entries of the others stay.
    """
    current = {key[1]: key for key in seen}
    return {
        key: value
        for key, value in cached.items()
        if key[0] != "build"
        or current.get(key[1], key) == key
        and (key[1] in current or Path(key[1]).exists())
    }


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


_TEMPLATE_ID = re.compile(r"""\bid=["']([^"'{}]+)["']""")


def template_ids(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The literal ids of the templates around a bulletin (base.html, article.html)."""
    folder = Path(settings.get("THEME") or "") / "templates"
    found: list[str] = []
    for name in ("base.html", "article.html"):
        try:
            found.extend(_TEMPLATE_ID.findall((folder / name).read_text(encoding="utf-8")))
        except OSError:
            continue
    return tuple(sorted(set(found)))


class _PelicanAltWarning(logging.Filter):
    """Drops Pelican's English "Empty alt attribute" warning: validation reports it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Empty alt attribute")


ALT_FILTER = _PelicanAltWarning()


def quiet_pelican_alt_warning(*_: Any) -> None:
    """Images without alt are reported once, in French, by the checks."""
    logging.getLogger("pelican.readers").addFilter(ALT_FILTER)  # no-op when already there


def without_collisions(articles: list) -> list:
    """Articles minus those that would overwrite another's page (a duplicate number).

    The duplicate is already reported, so nothing will be published; this only
    keeps Pelican's writer from stopping the run with a traceback.
    """
    seen: set[str] = set()
    kept = []
    for article in articles:
        if article.save_as in seen:
            continue
        seen.add(article.save_as)
        kept.append(article)
    return kept


def register() -> None:
    signals.initialized.connect(quiet_pelican_alt_warning)
    signals.article_generator_pretaxonomy.connect(check_sub_site)
    signals.page_generator_finalized.connect(check_pages)


# ---------------------------------------------------------------------------
# `invoke check`: read every bulletin, write nothing.
# ---------------------------------------------------------------------------


def bulletin_files(settings: Mapping[str, Any], folder: str = BULLETINS_DIR) -> Iterator[Path]:
    """Every Markdown file under ``<PATH>/<folder>`` (bulletins), in a stable order."""
    ignored = settings.get("IGNORE_FILES", [])
    root = Path(settings["PATH"]) / folder
    for path in sorted(root.rglob("*.md")):
        if not any(fnmatch(part, pattern) for part in path.parts for pattern in ignored):
            yield path


class _Collect(logging.Handler):
    """Pelican's own warnings while reading, as the build would report them."""

    def __init__(self, settings: Mapping[str, Any], found: list[Problem]):
        super().__init__(level=logging.WARNING)
        self.settings = settings
        self.found = found

    def emit(self, record: logging.LogRecord) -> None:
        from plugins.build import problem_from_record

        self.found.append(problem_from_record(record, dict(self.settings)))


def read_bulletin(
    readers, settings, source: Path
) -> tuple[str | None, dict, list[Problem], str | None]:
    """Source text, metadata, reading problems and rendered HTML of one file.

    The text is None when the file cannot be read, the HTML None when Pelican
    could not read it.
    """
    from pelican.contents import Article

    from plugins.build import describe_exception, error_line

    path = relative_source(source, settings)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = describe_exception(error)
        problem = Problem(path, error_line(error), f"impossible de lire ce fichier : {reason}")
        return None, {}, [problem], None
    if not text.strip() or date_problem(path, text) is not None:
        return text, header_metadata(text), [], None  # Pelican would fail: the checks say why
    content = Path(settings["PATH"])
    try:
        article = readers.read_file(
            base_path=str(content), path=str(source.relative_to(content)), content_class=Article
        )
    except Exception as error:  # any reader failure is a content problem, reported once
        message = f"impossible de lire ce fichier : {describe_exception(error)}"
        return text, header_metadata(text), [Problem(path, error_line(error), message)], None
    return text, dict(article.metadata), [], article._content


def check_source(
    readers, settings, table, source: Path, page_ids: tuple[str, ...] = ()
) -> tuple[list[Problem], Entry | None]:
    """Every per-file problem of one bulletin and its facts for the checks across files."""
    found, handler = [], _Collect(settings, [])
    handler.found = found
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(handler)
    propagate, pelican_logger.propagate = pelican_logger.propagate, False
    try:
        text, metadata, problems, html = read_bulletin(readers, settings, source)
    finally:
        pelican_logger.removeHandler(handler)
        pelican_logger.propagate = propagate
    found.extend(problems)
    if text is None:
        return found, None
    path = relative_source(source, settings)
    folder = series_folder(source, settings["PATH"])
    found.extend(check_file(path, text, metadata, table, folder, html, page_ids))
    return found, entry_of(path, text, metadata, table)


def cache_file(settings: Mapping[str, Any]) -> Path:
    return Path(settings.get("BUILD_CACHE_PATH") or ".cache") / "validation.pickle"


def fingerprint(settings: Mapping[str, Any]) -> str:
    """Changes whenever the series or the code of the checks change."""
    code = Path(__file__).parent
    sources = [
        *sorted(code.glob("*.py")),
        code.parent / "model.py",
        code.parent / "build" / "__init__.py",
    ]
    stamp = [repr(settings.get("SERIES")), markdown_stamp(settings.get("MARKDOWN") or {})]
    stamp.append(repr(template_ids(settings)))
    stamp += [hashlib.sha256(p.read_bytes()).hexdigest() for p in sources]
    return hashlib.sha256("\n".join(stamp).encode()).hexdigest()


def markdown_stamp(markdown: Mapping[str, Any]) -> str:
    """The Markdown settings as configured, before or after Pelican's reader adds to them.

    Pelican's reader appends every configured extension and ``meta`` to
    ``extensions``: the same settings, so the build and ``invoke check`` share
    one cache.
    """
    configs = markdown.get("extension_configs", {})
    extra = [e for e in markdown.get("extensions", []) if e not in configs]
    extra = [
        e if isinstance(e, str) else f"{type(e).__module__}.{type(e).__qualname__}"
        for e in extra
        if e != "markdown.extensions.meta"
    ]  # extension objects by their class: their repr changes with every run
    rest = {k: v for k, v in markdown.items() if k not in ("extensions", "extension_configs")}
    return repr((sorted(configs.items(), key=repr), extra, sorted(rest.items(), key=repr)))


def load_cache(settings: Mapping[str, Any], stamp: str) -> dict:
    try:
        with cache_file(settings).open("rb") as handle:
            cached = pickle.load(handle)
    except Exception:  # a missing or stale cache is simply rebuilt
        return {}
    return cached.get("files", {}) if cached.get("fingerprint") == stamp else {}


def save_cache(settings: Mapping[str, Any], stamp: str, files: dict) -> None:
    target = cache_file(settings)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump({"fingerprint": stamp, "files": files}, handle)
        os.replace(temporary, target)
    except OSError:
        pass  # the cache only saves time


# Below this many files to read, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


def check_batch(settings: dict[str, Any], sources: list[Path]) -> list[tuple]:
    """Check some files with their own Pelican readers (runs in a worker process)."""
    from pelican.readers import Readers

    quiet_pelican_alt_warning()
    readers = Readers(settings)
    table = series_table(settings)
    page_ids = template_ids(settings)
    return [check_source(readers, settings, table, source, page_ids) for source in sources]


def check_many(settings: dict[str, Any], sources: list[Path]) -> list[tuple]:
    """``check_source`` of every file, in order, across the cores when there are many."""
    workers = min(os.cpu_count() or 1, max(1, len(sources) // (PARALLEL_FROM // 2)))
    if len(sources) < PARALLEL_FROM or workers < 2:
        return check_batch(settings, sources)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    batches = [sources[i::workers] for i in range(workers)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(check_batch, [settings] * workers, batches))
    except (OSError, BrokenProcessPool):
        return check_batch(settings, sources)  # no worker processes here: one core it is
    by_source = {}
    for batch, result in zip(batches, results, strict=True):
        by_source.update(zip(batch, result, strict=True))
    return [by_source[source] for source in sources]


def collect_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem (and advice) of every bulletin, without writing anything.

    A file whose bytes did not change since the last check is not read again
    (results cached in BUILD_CACHE_PATH); checks across files always run.
    """
    settings = dict(settings)
    table = series_table(settings)
    stamp = fingerprint(settings)
    cached, fresh = load_cache(settings, stamp), {}
    keys = {}
    for source in bulletin_files(settings):
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        keys[source] = (str(source.resolve()), relative_source(source, settings), digest)
    todo = [source for source, key in keys.items() if key not in cached]
    cached.update(zip((keys[s] for s in todo), check_many(settings, todo), strict=True))
    found: list[Problem] = []
    entries = []
    for source, key in keys.items():
        problems, entry = fresh[key] = cached[key]
        found.extend(problems)
        if entry is not None:
            found.extend(targets_of(source, key[1], settings))
        if entry is not None:
            entries.append(entry)
    fresh.update((k, v) for k, v in cached.items() if k[0] == "build")  # the build's own
    if todo or len(fresh) != len(cached):
        save_cache(settings, stamp, fresh)
    found.extend(across_files(entries, table))
    for source in bulletin_files(settings, PAGES_DIR):
        found.extend(page_problems(source, settings))
    return sorted(set(found), key=by_place)


def by_place(problem: Problem) -> tuple[str, int, str]:
    """Sort key for problems and advice together: file, line, message."""
    return (problem.path, problem.line, problem.message)
