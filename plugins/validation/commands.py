"""The staff commands behind ``invoke check`` and ``invoke new``.

Each returns the exit status and prints French lines only: a content
mistake is a message, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from plugins.configuration import read_conf, settings_problems
from plugins.histoires.reading import find_regroupement, regroupements
from plugins.histoires.rules import Action
from plugins.histoires.scaffold import new_story
from plugins.i18n.formatting import format_seconds
from plugins.model import Advice, ContentError, Problem, series_table, shown_path
from plugins.validation import check_content
from plugins.validation.scaffold import ScaffoldError, new_bulletin, translated_bulletin, write_new


def check_settings(conf: Path, content: Path | None = None) -> dict[str, Any]:
    """Pelican settings for a check; paths are shown relative to the content's parent."""
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    settings = read_conf(conf, overrides)
    settings["PROJECT_ROOT"] = str(Path(settings["PATH"]).resolve().parent)
    return settings


def settings_and_mistakes(
    conf: Path, content: Path | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """A command's settings and their mistakes; none and the one problem of a settings
    file that cannot run (``read_conf``)."""
    try:
        settings = check_settings(conf, content)
    except ContentError as error:
        return {}, list(error.problems)
    return settings, settings_problems(settings, conf)


def check_summary(problems: list[Problem]) -> str:
    """« 3 problèmes dans 2 fichiers. »"""
    count = len(problems)
    files = len({p.path for p in problems if p.path})
    noun = "problème" if count == 1 else "problèmes"
    where = "fichier" if files == 1 else "fichiers"
    return f"{count} {noun} dans {files} {where}." if files else f"{count} {noun}."


def run_check(conf: Path, content: Path | None = None, stream: TextIO = sys.stdout) -> int:
    """Print every problem sorted by file and line; 1 if any blocks, else 0."""
    started = time.perf_counter()
    if content is not None and not content.is_dir():
        print(
            f"dossier de contenu introuvable : {content} ; rien n'a été vérifié.", file=sys.stderr
        )
        return 2
    # A malformed setting would fail deep in the checks: say what is wrong and stop.
    settings, mistakes = settings_and_mistakes(conf, content)
    if mistakes:
        for problem in mistakes:
            print(problem, file=stream)
        print(check_summary(mistakes), file=stream)
        return 1
    _model, problems = check_content(settings)
    blocking = [p for p in problems if not isinstance(p, Advice)]
    for problem in problems:
        prefix = "avertissement : " if isinstance(problem, Advice) else ""
        print(f"{prefix}{problem}", file=stream)
    seconds = time.perf_counter() - started
    if blocking:
        print(check_summary(blocking), file=stream)
        return 1
    print(f"Aucun problème (vérifié en {format_seconds(seconds)}).", file=stream)
    return 0


def story_scaffold(
    settings: dict[str, Any], group: str | None, title: str | None, today: dt.date
) -> tuple[Path, str]:
    """The draft of an event's messages (``invoke new --histoire``)."""
    known = regroupements(settings)
    listed = ", ".join(g.acronym for g in known.values())
    if not group:
        raise ScaffoldError(f"précisez --group (sigle du regroupement : {listed}).")
    found = find_regroupement(group, known)
    if found is None:
        raise ScaffoldError(
            f"regroupement inconnu « {group} » (regroupements : {listed}) ; "
            "ajoutez-le dans REGROUPEMENTS (pelicanconf.py) au besoin."
        )
    if not title or not title.strip():
        raise ScaffoldError('précisez --title "…" : l\'événement, par exemple « Forum du RCCQ ».')
    action = Action.from_settings(settings)
    if action is None:
        raise ScaffoldError("pas de réglage ACTION dans pelicanconf.py : rien n'a été écrit.")
    return new_story(Path(settings["PATH"]), found, title.strip(), action, today)


def run_new(
    conf: Path,
    series: str | None = None,
    translate: Path | None = None,
    lang: str = "en",
    content: Path | None = None,
    today: dt.date | None = None,
    stream: TextIO = sys.stdout,
    histoire: bool = False,
    group: str | None = None,
    title: str | None = None,
) -> int:
    """Create a bulletin (``series``), a translation (``translate``) or the draft of an
    event's messages (``histoire``, with ``group`` and ``title``); print its path."""
    settings, mistakes = settings_and_mistakes(conf, content)
    if mistakes:  # the scaffold is made from SERIES: say what is wrong with it instead
        for problem in mistakes:
            print(problem, file=sys.stderr)
        print(check_summary(mistakes), file=sys.stderr)
        return 1
    table = series_table(settings)
    known = ", ".join(table)
    try:
        if histoire:
            path, body = story_scaffold(settings, group, title, today or dt.date.today())
        elif translate is not None:
            if lang not in settings["LANGUAGES"] or lang == "fr":
                others = ", ".join(code for code in settings["LANGUAGES"] if code != "fr")
                raise ScaffoldError(f"langue de traduction inconnue « {lang} » ({others}).")
            if not translate.is_file():
                raise ScaffoldError(f"{translate} : fichier introuvable ; rien n'a été écrit.")
            text = translate.read_text(encoding="utf-8-sig")
            path, body = translated_bulletin(translate, text, table, lang)
        elif series is not None:
            if series not in table:
                raise ScaffoldError(f"série inconnue « {series} » (séries connues : {known}).")
            content_dir = Path(settings["PATH"])
            path, body = new_bulletin(content_dir, table[series], today or dt.date.today())
        else:
            raise ScaffoldError(
                f"précisez --series SÉRIE (séries : {known}) ou --translate FICHIER --lang en."
            )
        write_new(path, body, shown_path(path))
    except (ScaffoldError, UnicodeDecodeError, OSError) as error:
        message = str(error)
        if isinstance(error, UnicodeDecodeError):
            message = f"{translate} n'est pas en UTF-8 ; enregistrez-le en UTF-8."
        print(message, file=sys.stderr)
        return 1
    print(shown_path(path), file=stream)
    return 0
