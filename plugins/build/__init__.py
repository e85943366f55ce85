"""The strict, atomic, bilingual build.

Each language of ``LANGUAGES`` is built by its own Pelican run into a staging
directory (French at its root, English under ``en/``). Every problem of every
run — from our plugins or a warning logged by Pelican — is collected; if there
is any, the staging directory is discarded and the previous ``output/`` stays
exactly as it was. Otherwise the staging directory replaces ``output/``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugins.build import freshness
from plugins.build.staging import build_lock, new_staging, remove_leftovers, swap_into_place
from plugins.configuration import settings_problems
from plugins.i18n.twins import LanguageIndex
from plugins.model import (
    Advice,
    ContentError,
    Problem,
    ProblemLog,
    date_problem,
    metadata_line_numbers,
    missing_metadata_problem,
    relative_source,
)
from plugins.validation.size import oversized_files
from plugins.validation.targets import other_language_message

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

logger = logging.getLogger("bulletins")


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    output: Path
    seconds: float
    advice: list[Problem]
    unchanged: bool = False


def language_settings(
    conf: Path,
    lang: str,
    output: Path,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Pelican settings of one language's sub-site."""
    from pelican.settings import read_settings

    base = read_settings(str(conf), dict(overrides or {}))
    languages = base["LANGUAGES"]
    root_url = base["SITEURL"].rstrip("/")
    siteurls = {
        code: root_url + (f"/{conf_['path']}" if conf_["path"] else "")
        for code, conf_ in languages.items()
    }
    spec = languages[lang]
    override = dict(overrides or {})
    override.update(spec.get("overrides", {}))
    override.update(
        {
            "DEFAULT_LANG": lang,
            "OUTPUT_PATH": str(output / spec["path"]) if spec["path"] else str(output),
            "SITEURL": siteurls[lang],
            "ROOT_SITEURL": root_url,
            "LANGUAGE_SITEURLS": siteurls,
            "LOCALE_CODE": spec["locale"],
            "PROJECT_ROOT": str(PROJECT_ROOT),
            "DEBUG": True,
        }
    )
    if spec["path"]:
        # The theme's static files are published once, at the root.
        override["THEME_STATIC_PATHS"] = []
    override["JINJA_ENVIRONMENT"] = jinja_environment(base)
    settings = read_settings(str(conf), override)
    return settings


def jinja_environment(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings' Jinja options plus a bytecode cache outside output/.

    Every generator of every language builds its own Jinja environment and
    would compile the same templates again; compiled templates are keyed by
    their source's checksum, so an edited template is compiled afresh.
    """
    from jinja2 import FileSystemBytecodeCache

    options = dict(settings.get("JINJA_ENVIRONMENT", {}))
    directory = PROJECT_ROOT / settings.get("BUILD_CACHE_PATH", ".cache") / "jinja"
    directory.mkdir(parents=True, exist_ok=True)
    options.setdefault("bytecode_cache", FileSystemBytecodeCache(str(directory)))
    return options


class _PelicanLogCapture(logging.Handler):
    """Turns every warning or error Pelican logs into a Problem."""

    def __init__(self, log: ProblemLog, settings: dict[str, Any]):
        super().__init__(level=logging.WARNING)
        self.log = log
        self.settings = settings

    def emit(self, record: logging.LogRecord) -> None:
        self.log.add(problem_from_record(record, self.settings))


def problem_from_record(record: logging.LogRecord, settings: dict[str, Any]) -> Problem:
    """A French Problem for a Pelican log record (known messages get a precise one)."""
    args = record.args if isinstance(record.args, tuple) else ()
    if record.msg == "Could not process %s" and args:
        source = Path(settings["PATH"]) / str(args[0])
        path = relative_source(source, settings)
        error = record.exc_info[1] if record.exc_info else None
        # Worded as plugins.validation words it, so the same mistake prints once.
        precise = _metadata_problem(source, path, error)
        if precise is not None:
            return precise
        reason = describe_exception(error) if error is not None else ""
        message = "impossible de lire ce fichier"
        return Problem(path, error_line(error), f"{message} : {reason}" if reason else message)
    if str(record.msg).startswith("Skipping %s: could not find information") and record.args:
        source = Path(str(record.args[0]))
        if not source.is_absolute():
            source = Path(settings["PATH"]) / source
        text = source.read_text(encoding="utf-8-sig", errors="replace") if source.exists() else ""
        return missing_metadata_problem(relative_source(source, settings), text, record.args[1])
    if str(record.msg).startswith("Duplicate definition of `%s`") and len(args) >= 2:
        return duplicate_metadata_problem(str(args[0]), str(args[1]), settings)
    if str(record.msg).startswith("Unable to find '%s'") and args:
        return missing_link_problem(str(args[0]).lstrip("/"), settings)
    if str(record.msg).startswith("Cannot get modification stamp for %s") and args:
        # A missing {static} file: said as its "Unable to find", so only once.
        target = Path(os.path.relpath(str(args[0]), settings["PATH"])).as_posix()
        return missing_link_problem(target, settings)
    if str(record.msg).startswith("Empty alt attribute") and len(args) >= 2:
        image = str(args[0])
        path, line = find_in_content(image, settings)
        return Problem(
            path or relative_source(str(args[1]), settings),
            line,
            f"image « {image} » sans texte de remplacement : décrivez-la entre les crochets "
            "![description](…)",
        )
    text = record.getMessage().strip().splitlines()[0] if record.msg else ""
    return Problem("", 0, f"Pelican signale : {text}")


def duplicate_metadata_problem(name: str, source: str, settings: dict[str, Any]) -> Problem:
    """A metadata key written twice in a header, on its second line."""
    try:
        text = Path(source).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        text = ""
    lines = metadata_line_numbers(text).get(name.lower(), [])
    first, second = (lines + [1, 1])[:2]
    return Problem(
        relative_source(source, settings),
        second,
        f"métadonnée « {name.capitalize()} » écrite deux fois (lignes {first} et {second}) : "
        "gardez-en une seule",
    )


def missing_link_problem(target: str, settings: dict[str, Any]) -> Problem:
    """An internal link to a file that does not exist, on the line that writes it."""
    path, line = find_in_content(target, settings)
    elsewhere = other_language_link(target, settings)
    if elsewhere is not None:
        return Problem(path, line, elsewhere)
    return Problem(
        path,
        line,
        f"lien interne introuvable « {target} » : vérifiez le chemin du fichier visé "
        "(par exemple {filename}/pages/membres.md)",
    )


def other_language_link(target: str, settings: dict[str, Any]) -> str | None:
    """Why a link to a file of another language fails in this sub-site, or None."""
    index = settings.get("LANGUAGE_INDEX")
    lang = (
        index.langs.get(os.path.abspath(os.path.join(settings["PATH"], target))) if index else None
    )
    if lang is None or lang == settings["DEFAULT_LANG"]:
        return None
    return other_language_message(target, lang, settings["DEFAULT_LANG"])


def find_in_content(needle: str, settings: dict[str, Any]) -> tuple[str, int]:
    """The first content file and line where ``needle`` is written, or ("", 0)."""
    for source in sorted(Path(settings["PATH"]).rglob("*.md")):
        try:
            lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return relative_source(source, settings), number
    return "", 0


def _metadata_problem(source: Path, path: str, error: BaseException | None) -> Problem | None:
    """The precise problem of a header Pelican could not read (a bad date)."""
    if not isinstance(error, ValueError) or isinstance(error, UnicodeDecodeError):
        return None
    try:
        return date_problem(path, source.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None


def error_line(error: BaseException | None) -> int:
    """The line of the invalid byte of a UnicodeDecodeError (1 for other errors)."""
    if isinstance(error, UnicodeDecodeError) and isinstance(error.object, bytes):
        return error.object.count(b"\n", 0, error.start) + 1
    return 1


def describe_exception(error: BaseException) -> str:
    """A French explanation of why a content file could not be read."""
    if isinstance(error, UnicodeDecodeError):
        return (
            f"le fichier n'est pas en UTF-8 (octet invalide ligne {error_line(error)}) ; "
            "enregistrez-le en UTF-8"
        )
    if isinstance(error, PermissionError):
        return "permission refusée ; vérifiez les droits du fichier"
    if isinstance(error, ValueError) and "date" in str(error).lower():
        return f"date illisible ({error}) ; écrivez-la AAAA-MM-JJ"
    return f"{type(error).__name__} : {error}"


@contextmanager
def _captured(log: ProblemLog, settings: dict[str, Any]) -> Iterator[None]:
    handler = _PelicanLogCapture(log, settings)
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(handler)
    try:
        yield
    finally:
        pelican_logger.removeHandler(handler)


def run_language(settings: dict[str, Any], log: ProblemLog) -> None:
    """One Pelican run for one language, its problems added to ``log``."""
    from pelican import Pelican

    settings["PROBLEM_LOG"] = log
    # Pelican drops a message it already logged in this process: a second build
    # (invoke serve, tests) would not see the same warning again and would publish.
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()  # noqa: SLF001
    LimitFilter._group_count.clear()  # noqa: SLF001
    # Pelican prints an English « Done: Processed … » summary; ours is French.
    with _captured(log, settings), contextlib.redirect_stdout(io.StringIO()):
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
    from pelican.settings import read_settings

    started = time.perf_counter()
    conf = Path(conf).resolve()
    base = read_settings(str(conf), dict(overrides or {}))
    problems = settings_problems(base, conf)
    if problems:
        raise ContentError(problems)
    output = Path(output or base["OUTPUT_PATH"]).resolve()
    cache = PROJECT_ROOT / base.get("BUILD_CACHE_PATH", ".cache")
    with build_lock(cache, wait=wait, say=lambda line: print(line, file=sys.stderr, flush=True)):
        remove_leftovers(output)
        return _build_locked(conf, output, cache, overrides, force, started)


def _build_locked(conf, output, cache, overrides, force, started) -> BuildResult:
    from pelican.settings import read_settings

    from plugins.meetings.reading import build_today

    base = read_settings(str(conf), dict(overrides or {}))
    inputs = freshness.inputs_digest(
        PROJECT_ROOT, Path(base["PATH"]), conf, dict(overrides or {}), build_today(base)
    )
    previous = None if force else freshness.is_fresh(cache, output, inputs)
    if previous is not None:
        advice = [Advice(*entry) for entry in previous.get("advice", [])]
        return BuildResult(output, time.perf_counter() - started, advice, unchanged=True)

    staging = new_staging(output)
    log = ProblemLog()
    # The first run reads every language; the others read only their own files.
    index = LanguageIndex()
    try:
        first = language_settings(conf, "fr", staging, overrides)
        # A huge file would take minutes to convert: refuse it before Pelican reads it.
        oversized = oversized_files(first)
        if oversized:
            raise ContentError(oversized)
        for lang in first["LANGUAGES"]:
            settings = language_settings(conf, lang, staging, overrides)
            settings["LANGUAGE_INDEX"] = index
            run_language(settings, log)
        if log.blocking:
            error = ContentError(log.blocking)
            error.advice = log.advice
            raise error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    swap_into_place(staging, output)
    advice = log.advice
    freshness.record_build(cache, output, inputs, [(a.path, a.line, a.message) for a in advice])
    return BuildResult(output, time.perf_counter() - started, advice)


def report_failure(error: ContentError, stream=sys.stderr) -> None:
    """Print every problem, sorted by file and line, then the summary."""
    for problem in error.problems:
        print(problem, file=stream)
    for advice in getattr(error, "advice", []):
        print(f"avertissement : {advice}", file=stream)
    print(str(error), file=stream)
