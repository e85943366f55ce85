"""The strict, atomic, bilingual build.

1. The settings are checked (``plugins.configuration``).
2. Under the build lock, content/ is loaded once and checked
   (``plugins.validation.check_content``, the same as ``invoke check``): any
   problem stops the build here, before anything is written.
3. Each language of ``LANGUAGES`` is rendered by its own Pelican run into a
   private staging folder (French at its root, English under ``en/``), each
   run reading only its own language's files, from the loaded model. Once a
   language is rendered, its folder is finished in a thread while the next
   renders (``plugins.build.finishing``): its pages kept from the published
   site linked, what the older site left there removed, its pages indexed by
   Pagefind (one search index per language, ``plugins.search``).
4. If no language found a problem (PDF editions, feeds, a warning Pelican
   logged) and the index was made, the staging folder replaces ``output/`` in
   one atomic swap; otherwise it is discarded and ``output/`` stays as it was.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.addresses import file_urls
from plugins.build import freshness
from plugins.build.finishing import Finishing
from plugins.build.staging import (
    build_lock,
    keep_as_spare,
    new_staging,
    remove_leftovers,
    swap_into_place,
)
from plugins.configuration import read_conf, settings_problems
from plugins.content.kept import KeptPages, site_digest, unshare
from plugins.content.loading import ContentModel
from plugins.context import BuildContext, Selection, current, running
from plugins.meetings.reading import build_today
from plugins.memo import cache_root
from plugins.model import Advice, ContentError, Problem, shown_path, summarize
from plugins.pools import JobFailure, started_jobs
from plugins.search.indexing import BUNDLE_DIR, SearchIndex, SearchIndexing
from plugins.search.shards import DEFAULT_SHARD_PAGES
from plugins.validation import check_content

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

logger = logging.getLogger("bulletins")
SEARCH_PLUGIN = "plugins.search"


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    output: Path
    seconds: float
    advice: list[Problem]
    unchanged: bool = False
    search: SearchIndex | None = None  # None when nothing was rendered, or search is off


def siteurls_of(settings: dict[str, Any]) -> dict[str, str]:
    """Each language's SITEURL: the root one, ``/en`` appended for English."""
    root_url = settings["SITEURL"].rstrip("/")
    return {
        code: root_url + (f"/{spec['path']}" if spec["path"] else "")
        for code, spec in settings["LANGUAGES"].items()
    }


def language_settings(
    conf: Path,
    lang: str,
    output: Path,
    overrides: dict[str, Any] | None = None,
    model: ContentModel | None = None,
) -> dict[str, Any]:
    """Pelican settings of one language's sub-site (reading only that language's
    files of ``model`` when given)."""
    base = read_conf(conf, overrides)
    spec = base["LANGUAGES"][lang]
    override = dict(overrides or {})
    override.update(spec.get("overrides", {}))
    override.update(
        {
            "DEFAULT_LANG": lang,
            "OUTPUT_PATH": str(output / spec["path"]) if spec["path"] else str(output),
            "SITEURL": siteurls_of(base)[lang],
            "ROOT_SITEURL": base["SITEURL"].rstrip("/"),
            "LANGUAGE_SITEURLS": siteurls_of(base),
            "LOCALE_CODE": spec["locale"],
            "PROJECT_ROOT": str(PROJECT_ROOT),
            "DEBUG": True,
        }
    )
    if base.get("RELATIVE_URLS"):
        # Opened from its files, a folder's URL shows the folder: pages link index.html.
        override.update(file_urls(base))
    if spec["path"]:
        # The theme's static files are published once, at the root.
        override["THEME_STATIC_PATHS"] = []
    if model is not None:
        # Pelican accepts files in these lists: each sub-site reads its own language.
        override["ARTICLE_PATHS"] = [f.relative for f in model.in_lang(model.bulletins, lang)]
        override["PAGE_PATHS"] = [f.relative for f in model.in_lang(model.pages, lang)]
    override["JINJA_ENVIRONMENT"] = jinja_environment(base)
    return read_conf(conf, override)


def jinja_environment(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings' Jinja options plus a bytecode cache outside output/.

    Every generator of every language builds its own Jinja environment and
    would compile the same templates again; compiled templates are keyed by
    their source's checksum, so an edited template is compiled afresh.
    """
    from jinja2 import FileSystemBytecodeCache

    options = dict(settings.get("JINJA_ENVIRONMENT", {}))
    directory = cache_of(settings) / "jinja"
    directory.mkdir(parents=True, exist_ok=True)
    options.setdefault("bytecode_cache", FileSystemBytecodeCache(str(directory)))
    return options


class PelicanWarnings(logging.Handler):
    """Whatever Pelican still logs at WARNING or above: one generic French problem,
    on the content file Pelican was reading or writing (``BuildContext.processing``).

    The content was checked before Pelican read it, so such a record is
    unexpected; its text is quoted as is, never interpreted.
    """

    def __init__(self, context: BuildContext):
        super().__init__(level=logging.WARNING)
        self.context = context

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join(record.getMessage().split())
        file = self.context.model.file(self.context.processing or "")
        path = file.path if file is not None else ""
        self.context.add(Problem(path, 1 if path else 0, f"Pelican signale : « {text} »"))


@contextlib.contextmanager
def pelican_warnings_reported() -> Iterator[None]:
    handler = PelicanWarnings(current())
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(handler)
    try:
        yield
    finally:
        pelican_logger.removeHandler(handler)


def report_repeated_messages() -> None:
    """Pelican drops a message it already logged in this process, ours included (its
    logger class filters every logger), unless told not to with its documented
    ``--logs-dedup-min-level``: a second build in one process (``invoke serve``,
    the tests) must see the same warning, and print the same progress, again."""
    from pelican.log import init

    init(handler=None, logs_dedup_min_level=logging.DEBUG)


def run_language(settings: dict[str, Any]) -> None:
    """One Pelican run for one language; its problems go to the current context."""
    from pelican import Pelican

    # Pelican prints an English « Done: Processed … » summary; ours is French.
    with pelican_warnings_reported(), contextlib.redirect_stdout(io.StringIO()):
        Pelican(settings).run()


def build_site(
    conf: Path | str = PROJECT_ROOT / "pelicanconf.py",
    output: Path | str | None = None,
    overrides: dict[str, Any] | None = None,
    force: bool = False,
    wait: bool = True,
) -> BuildResult:
    """Build every language into ``output`` atomically.

    Raises ContentError (with every problem of the run) and leaves ``output``
    untouched when anything is wrong. When nothing that shapes the site changed
    since the last build of ``output`` (and output/ was not touched), returns at
    once with ``unchanged`` set, unless ``force``. Holds the cache's build lock:
    a concurrent build waits for it (or raises BuildBusy when not ``wait``).
    """
    refuse_in_a_worker()
    started = time.perf_counter()
    conf = Path(conf).resolve()
    base = checked_settings(conf, overrides)
    output = Path(output or base["OUTPUT_PATH"]).resolve()
    cache = cache_of(base)
    with build_lock(cache, wait=wait, say=say_on_stderr):
        remove_leftovers(output)
        code = freshness.code_digest(PROJECT_ROOT, conf, dict(overrides or {}), build_today(base))
        inputs = freshness.inputs_digest(Path(base["PATH"]), code)
        published = freshness.published_record(cache, output)
        if not force and freshness.is_fresh(published, inputs):
            advice = [Advice(*entry) for entry in published.get("advice", [])]
            return BuildResult(output, time.perf_counter() - started, advice, unchanged=True)
        previous = {} if force or published is None else published.get("pages", {})
        advice, search, kept = render_site(conf, base, output, overrides, (code, previous))
        said = [(a.path, a.line, a.message) for a in advice]
        freshness.record_build(cache, output, inputs, said, kept.pages)
    return BuildResult(output, time.perf_counter() - started, advice, search=search)


def checked_settings(conf: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The settings of ``conf`` with ``overrides``; ContentError when they are wrong."""
    base = read_conf(conf, overrides)
    problems = settings_problems(base, conf)
    if problems:
        raise ContentError(problems)
    return base


def cache_of(settings: dict[str, Any]) -> Path:
    """The build cache (its lock, conversions, PDFs) of settings read from ``conf``,
    which do not name the project's root yet."""
    return cache_root({**settings, "PROJECT_ROOT": str(PROJECT_ROOT)})


def say_on_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def checked_model(base: dict[str, Any]) -> tuple[ContentModel, list[Problem]]:
    """content/ loaded once and checked (as ``invoke check`` does): the model and its
    advice; ContentError when anything blocks."""
    model, problems = check_content({**base, "PROJECT_ROOT": str(PROJECT_ROOT)})
    advice = [p for p in problems if isinstance(p, Advice)]
    failed(problems, advice)
    return model, advice


def stop_on_ctrl_c() -> None:
    """Let Ctrl+C stop a command (the build, the preview), as both say it does.

    A process started with SIGINT ignored (a background job of a shell without job
    control, some editors' task runners) inherits that, and Python then leaves it
    ignored: the command would not stop and its « interrompue » path never run.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)


def refuse_in_a_worker() -> None:
    """A script calling ``build_site`` without ``if __name__ == "__main__":`` is run
    again, as ``__mp_main__``, by each worker of the build's pools (the forkserver
    start method), which would then wait for the build lock its parent holds,
    forever: stop it at once (the pool then does the work in the build's process)."""
    main = sys.modules.get("__main__")
    if sys.modules.get("__mp_main__", main) is not main:  # the two differ only during a re-run
        raise RuntimeError(
            "build_site() appelé dans un processus de travail : le script qui construit "
            'le site doit protéger son code par « if __name__ == "__main__": »'
        )


def render_site(
    conf: Path,
    base: dict[str, Any],
    output: Path,
    overrides: dict[str, Any] | None,
    published: tuple[str, Mapping[str, tuple[str, list[str]]]],
) -> tuple[list[Problem], SearchIndex | None, KeptPages]:
    """Load, check, render every language, index the site and swap it into ``output``.

    With ``RENDER_JOBS`` above 1, the first language is rendered here while
    the others are rendered each in a worker process (they write to their own
    folders), from the same model; with 1 (the default), all of them here, one
    after the other. Once a language is rendered, its folder is finished (its kept
    pages linked, the older site's files removed, its pages indexed: one search
    index per ``<html lang>``) in a thread while the next renders (``Finishing``).
    ``published`` is the code digest (``freshness.code_digest``) and the keys of the
    published site's pages: those still right are linked (plugins.content.kept).
    Returns the advice (non-blocking remarks), the search index written and the
    pages' keys; raises ContentError otherwise.
    """
    model, advice = checked_model(base)
    report_repeated_messages()
    code, previous = published
    site = site_digest(code, model)
    staging = new_staging(output)
    try:  # from here on, an interruption keeps the staging folder as the spare
        if not previous:
            unshare(staging.path)
        kept = KeptPages(site, staging.path, output, previous)
        context = BuildContext(model, tuple(base["LANGUAGES"]), siteurls_of(base), kept=kept)
        indexing = search_indexing(staging.path, base, output)
        folders = {code: spec["path"] for code, spec in base["LANGUAGES"].items()}
        with Finishing(staging, folders, kept, indexing) as finishing:
            context.on_written, context.on_kept = finishing.page_written, finishing.page_kept

            def rendered(lang: str) -> None:
                if not context.problems.blocking:  # else the build stops: nothing to finish
                    finishing.rendered(lang)

            render_languages(
                conf, overrides, context, staging.path, base.get("RENDER_JOBS"), rendered
            )
            failed(context.problems.problems, advice)
            gone = finishing.finish()
        if gone:
            raise ContentError([changed_during_build(output, gone)])
        search = finished_search(indexing, staging.path, base, advice, output)
    except BaseException:
        keep_as_spare(staging.path, output)  # a half-written site, never published
        raise
    swap_into_place(staging, output)
    return sorted(set(advice) | set(context.problems.advice)), search, kept


def render_languages(
    conf: Path,
    overrides: dict[str, Any] | None,
    context: BuildContext,
    staging: Path,
    render_jobs: int | None,
    rendered: Callable[[str], None] = lambda lang: None,
) -> None:
    """Every language rendered into ``staging``: the first here, the others in worker
    processes when ``render_jobs`` (``RENDER_JOBS``) is above 1; their problems and
    kept pages are gathered into ``context``, and ``rendered`` is told each language
    once it is, in the site's order."""
    if int(render_jobs or 1) > 1:
        here, elsewhere = context.languages[:1], context.languages[1:]
    else:
        here, elsewhere = context.languages, ()
    model, kept = context.model, context.kept
    jobs = [
        LanguageJob(
            conf, lang, staging, overrides, model, context.languages, context.siteurls, kept.fresh()
        )
        for lang in elsewhere
    ]
    with started_jobs(render_language, jobs, len(jobs)) as pending:
        with running(context):
            for lang in here:
                run_language(language_settings(conf, lang, staging, overrides, model))
                rendered(lang)
        outcomes = pending.results()
    for job, outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, JobFailure):
            raise RuntimeError(f"{job.lang}: {outcome.kind}: {outcome.message}")
        context.problems.extend(outcome.problems)
        kept.merge(outcome.kept)
        for level, message in outcome.messages:
            logger.log(level, "%s", message)
        rendered(job.lang)


def render_pages(
    conf: Path | str,
    sources: Iterable[Path],
    published: Path,
    overrides: dict[str, Any] | None = None,
) -> dict[str, bytes]:
    """A preview's quick pass: the pages of the edited bulletins and pages in ``sources``,
    by site path (``info-psoc/info-psoc-01/index.html``), as the full build renders
    them, linking to the PDF editions of ``published`` (the site served now).

    The whole content is loaded and checked as ``build_site`` does (its ContentError
    on any problem); each language with an edited file runs Pelican in full, but only
    those pages are written, into a temporary folder that is then removed: neither
    ``output/`` nor the PDF editions are touched. Empty when no source is a bulletin
    or a page (a meeting, a budget update: only the full build shows them).
    """
    conf = Path(conf).resolve()
    base = checked_settings(conf, overrides)
    with build_lock(cache_of(base), say=say_on_stderr):
        model, advice = checked_model(base)
        readable = {f.source_path for f in model.bulletins + model.pages}
        edited = [f for f in map(model.file, sources) if f and f.source_path in readable]
        if not edited:
            return {}
        report_repeated_messages()
        selection = Selection(frozenset(f.source_path for f in edited), published)
        languages = tuple(base["LANGUAGES"])
        context = BuildContext(model, languages, siteurls_of(base), selection=selection)
        langs = [lang for lang in context.languages if any(f.lang == lang for f in edited)]
        # The system's temporary folder: one left by a killed preview is not the cache's.
        with tempfile.TemporaryDirectory(prefix="bulletins-apercu-") as folder:
            with running(context):
                for lang in langs:
                    run_language(language_settings(conf, lang, Path(folder), overrides, model))
            failed(context.problems.problems, advice)
            return {
                page.relative_to(folder).as_posix(): page.read_bytes()
                for page in sorted(Path(folder).rglob("*.html"))
            }


def changed_during_build(output: Path, gone: list[str]) -> Problem:
    """The problem of a published page removed while the build was linking it."""
    shown = f"{shown_path(output)}/{gone[0]}"
    return Problem(
        "", 0, f"{shown} a été supprimé pendant la construction : relancez la construction"
    )


def search_indexing(site: Path, settings: dict[str, Any], output: Path) -> SearchIndexing | None:
    """The search index to make of the staged ``site`` (None when ``plugins.search`` is
    off, or ``SEARCH_INDEX`` is False); ``output``'s shards are reused."""
    if SEARCH_PLUGIN not in settings["PLUGINS"] or not settings.get("SEARCH_INDEX", True):
        return None
    locales = {code: spec["locale"] for code, spec in settings["LANGUAGES"].items()}
    shard_pages = settings.get("SEARCH_SHARD_PAGES", DEFAULT_SHARD_PAGES)
    runs = settings.get("SEARCH_JOBS", 1)
    cache = cache_of(settings) / "search"
    return SearchIndexing(site, locales, output / BUNDLE_DIR, shard_pages, runs, cache)


def finished_search(
    indexing: SearchIndexing | None,
    site: Path,
    settings: dict[str, Any],
    advice: list[Problem],
    output: Path,
) -> SearchIndex | None:
    """The search index of the staged ``site``, once every language is indexed (None
    when search is off; with ``SEARCH_INDEX`` False, ``output``'s index is kept);
    raises ContentError when Pagefind failed: a site without its index is not
    published."""
    if indexing is None:
        if SEARCH_PLUGIN in settings["PLUGINS"]:
            carry_index(output, site)
        return None
    index, problems = indexing.finish()
    failed(problems, advice)
    return index


def carry_index(output: Path, site: Path) -> None:
    """Without indexing (``SEARCH_INDEX = False``: the preview), the staged site keeps
    the index of the site it replaces (hard links), not the older spare's."""
    published = output / BUNDLE_DIR
    staged = site / BUNDLE_DIR
    shutil.rmtree(staged, ignore_errors=True)
    if published.is_dir():
        shutil.copytree(published, staged, copy_function=os.link)


@dataclass(frozen=True)
class LanguageJob:
    """One language's Pelican run, as a worker process receives it."""

    conf: Path
    lang: str
    staging: Path
    overrides: dict[str, Any] | None
    model: ContentModel
    languages: tuple[str, ...]
    siteurls: dict[str, str]
    kept: KeptPages  # the published pages' keys; the worker's copy records its own


@dataclass(frozen=True)
class LanguageOutcome:
    """What a worker's run found, kept and said on the ``bulletins`` logger."""

    problems: list[Problem]
    messages: list[tuple[int, str]]
    kept: KeptPages


class Said(logging.Handler):
    """Keeps what a worker logs, for the build's process to say it."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


def render_language(job: LanguageJob) -> LanguageOutcome:
    """Pool job: one language rendered into its folder of the staging site.

    Its PDF editions are rendered in this worker, one at a time, while the
    first language's pool keeps the other cores busy.
    """
    report_repeated_messages()
    said = Said()
    progress = logging.getLogger("bulletins")
    progress.addHandler(said)
    progress.setLevel(logging.INFO)
    context = BuildContext(job.model, job.languages, job.siteurls, kept=job.kept)
    overrides = {**(job.overrides or {}), "PDF_JOBS": 1}
    try:
        with running(context):
            settings = language_settings(job.conf, job.lang, job.staging, overrides, job.model)
            run_language(settings)
    finally:
        progress.removeHandler(said)
    return LanguageOutcome(list(context.problems.problems), said.messages, job.kept)


def failed(problems: list[Problem], advice: list[Problem]) -> None:
    """Raise ContentError with the blocking ``problems`` (and ``advice``), if any."""
    blocking = [p for p in problems if not isinstance(p, Advice)]
    if blocking:
        error = ContentError(blocking)
        error.advice = sorted(set(advice) | {p for p in problems if isinstance(p, Advice)})
        raise error


def report_failure(error: ContentError, stream=sys.stderr, outcome: str | None = None) -> None:
    """Print every problem, sorted by file and line, then the summary (ending with
    ``outcome``: « rien n'a été publié » unless told)."""
    for problem in error.problems:
        print(problem, file=stream)
    for advice in getattr(error, "advice", []):
        print(f"avertissement : {advice}", file=stream)
    print(summarize(error.problems, outcome) if outcome else str(error), file=stream)
