"""The content model every plugin shares.

Metadata strings are checked once, here, where they enter, and become values
with meaning (a Series, an int, a language). Plugins read the typed objects
that plugins.series attaches to Pelican's content (``article.bulletin``)
instead of re-parsing metadata.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

LANGUAGES = ("fr", "en")

# ---------------------------------------------------------------------------
# Problems: what is wrong with the content, where, in French.
# ---------------------------------------------------------------------------


def shown_path(path: Path) -> str:
    """``path`` as staff type it: relative to the current folder when inside it
    (``output``, ``content/bulletins/…``), never a machine path they did not write."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class Problem:
    """A content mistake staff can act on: ``chemin:ligne: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if not self.path:
            return self.message
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, order=True)
class Advice(Problem):
    """A non-blocking remark: printed as a warning, never fails the build."""


class ContentError(Exception):
    """Raised once, when a build or check found problems; carries them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(summarize(self.problems))


@dataclass
class ProblemLog:
    """Collects the problems of a whole run; shared by every plugin."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def blocking(self) -> list[Problem]:
        return sorted({p for p in self.problems if not isinstance(p, Advice)})

    @property
    def advice(self) -> list[Advice]:
        return sorted({p for p in self.problems if isinstance(p, Advice)})


def summarize(problems: list[Problem], outcome: str = "rien n'a été publié") -> str:
    """One French line: « 3 problèmes dans 2 fichiers ; rien n'a été publié. »"""
    count = len(problems)
    files = len({p.path for p in problems if p.path})
    noun = "problème" if count == 1 else "problèmes"
    where = "fichier" if files == 1 else "fichiers"
    if files:
        return f"{count} {noun} dans {files} {where} ; {outcome}."
    return f"{count} {noun} ; {outcome}."


def relative_source(path: str | os.PathLike[str], settings: Mapping[str, Any]) -> str:
    """A source path as staff see it: ``content/bulletins/info-psoc/01.md``.

    Relative to the content directory's parent, so a copy of content/ elsewhere
    (tests, benchmarks) reads the same; else relative to the project.
    """
    source = os.path.abspath(path)
    content = settings.get("PATH")
    if content:
        content_dir = os.path.abspath(content)
        if source.startswith(content_dir + os.sep):  # strings: a build asks for every file
            parent = os.path.dirname(content_dir).rstrip(os.sep) + os.sep
            return source[len(parent) :].replace(os.sep, "/")
    root = settings.get("PROJECT_ROOT") or os.getcwd()
    try:
        return Path(os.path.relpath(source, root)).as_posix()
    except ValueError:
        return Path(source).as_posix()


_META_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_ -]*):")
_CONTINUATION = " " * 4  # Markdown's meta: a header line indented so continues the one above


@functools.lru_cache(maxsize=64)  # every check of one file reads the same header
def header_fields(text: str) -> dict[str, tuple[tuple[int, str], ...]]:
    """Every ``(line, raw value)`` of each key of a Markdown header, keys in lower case.

    The header is the lines before the first blank one. A line indented by four
    spaces or more continues the value above it, as Markdown's ``meta`` reads it
    (joined with a space); other lines that are not ``Key: value`` are skipped.
    The one scanner of headers.
    """
    fields: dict[str, list[tuple[int, str]]] = {}
    last: list[tuple[int, str]] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = _META_LINE.match(line)
        if match:
            key = match.group(1).strip().lower()
            last = fields.setdefault(key, [])
            last.append((number, line[match.end() :].strip()))
        elif last and line.startswith(_CONTINUATION):
            first_line, value = last[-1]
            last[-1] = (first_line, f"{value} {line.strip()}".strip())
    return {key: tuple(values) for key, values in fields.items()}


def metadata_lines(text: str) -> dict[str, int]:
    """Line number (1-based) of each metadata key in a Markdown header (its first line)."""
    return {key: values[0][0] for key, values in header_fields(text).items()}


def metadata_value(text: str, key: str) -> str | None:
    """The raw value of ``key`` in a Markdown header (its first line), or None."""
    values = header_fields(text).get(key.lower())
    return values[0][1] if values else None


# ---------------------------------------------------------------------------
# Source files, as the loader read them (plugins.content).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file of content/, read once: its text, header and HTML.

    ``html`` and ``formatted`` (the formatted header fields, ``summary``) are
    what Pelican's Markdown reader would give for the same text and settings.
    """

    path: str  # as staff see it: content/bulletins/info-psoc/01.md
    source_path: str  # absolute
    relative: str  # below the content folder: bulletins/info-psoc/01.md
    text: str
    fields: Mapping[str, tuple[tuple[int, str], ...]]
    html: str = ""
    meta: Mapping[str, list[str]] = field(default_factory=dict)  # as Markdown's meta read it
    formatted: Mapping[str, str] = field(default_factory=dict)
    # A digest of everything ``text`` and ``html`` are made from (its conversion's key).
    made_from: str = ""

    def raw(self, key: str) -> str | None:
        """The first value written for ``key``, or None."""
        values = self.fields.get(key.lower())
        return values[0][1] if values else None

    def line(self, key: str, default: int = 1) -> int:
        """The line where ``key`` is first written (``default`` when absent)."""
        values = self.fields.get(key.lower())
        return values[0][0] if values else default

    @property
    def metadata(self) -> dict[str, str]:
        """Each key's first raw value."""
        return {key: values[0][1] for key, values in self.fields.items()}

    @property
    def lang(self) -> str | None:
        """The language the header declares (French when it says nothing)."""
        return parse_lang(self.raw("lang") or "fr")

    @property
    def stem(self) -> str:
        return Path(self.relative).stem


# ---------------------------------------------------------------------------
# Series, from settings.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """A series of bulletins, as configured in ``SERIES``."""

    key: str
    titles: Mapping[str, str]
    short_titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    numbered: bool
    required_sections: Mapping[str, tuple[str, ...]]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["fr"]

    def short_title(self, lang: str) -> str:
        return self.short_titles.get(lang) or self.title(lang)

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("fr", "")

    def sections(self, lang: str) -> tuple[str, ...]:
        return self.required_sections.get(lang, ())


def series_table(settings: Mapping[str, Any]) -> dict[str, Series]:
    """Every configured series, by key."""
    table = {}
    for key, conf in settings.get("SERIES", {}).items():
        titles = dict(conf["title"])
        table[key] = Series(
            key=key,
            titles=titles,
            short_titles=dict(conf.get("short_title", titles)),
            descriptions=dict(conf.get("description", {})),
            numbered=bool(conf.get("numbered", False)),
            required_sections={
                lang: tuple(names) for lang, names in conf.get("required_sections", {}).items()
            },
        )
    return table


# ---------------------------------------------------------------------------
# Bulletins.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bulletin:
    """One bulletin in one language."""

    source_path: str
    series: Series
    date: dt.datetime
    lang: str
    number: int | None
    translation_key: str
    title: str

    @property
    def slug(self) -> str:
        return bulletin_slug(self.series.key, self.number, self.date)

    @property
    def file_stem(self) -> str:
        """Self-explaining base name for downloads: ``info-psoc-01-en``."""
        return self.slug if self.lang == "fr" else f"{self.slug}-{self.lang}"


def bulletin_slug(series: str, number: int | None, date: dt.date | None) -> str:
    """``info-psoc-01`` for numbered series, ``campagne-2013-04-18`` otherwise."""
    if number is not None:
        return f"{series}-{number:02d}"
    if date is not None:
        return f"{series}-{date:%Y-%m-%d}"
    return series


def parse_number(raw: Any) -> int | None:
    """A bulletin or meeting number: a positive integer, or None if invalid."""
    text = str(raw).strip().lstrip("0") or "0"
    if not text.isdigit():
        return None
    value = int(text)
    return value if value > 0 else None


def parse_lang(raw: Any) -> str | None:
    """``fr`` or ``en`` (``fr-CA`` accepted), None for anything else."""
    text = str(raw or "fr").strip().lower().replace("_", "-")
    lang = text.split("-")[0]
    return lang if lang in LANGUAGES else None


def bulletin_from_metadata(
    metadata: Mapping[str, Any],
    source_path: str,
    series: Mapping[str, Series],
) -> Bulletin | None:
    """The typed bulletin, or None when its metadata cannot make one.

    Only the strictly necessary is checked here; plugins.validation reports
    what is wrong with a line number.
    """
    series_key = str(metadata.get("series", "")).strip()
    if series_key not in series:
        return None
    date = metadata.get("date")
    if not isinstance(date, dt.datetime):
        return None
    lang = parse_lang(metadata.get("lang", "fr"))
    if lang is None:
        return None
    number = None
    if "number" in metadata:
        number = parse_number(metadata["number"])
        if number is None:
            return None
    the_series = series[series_key]
    if the_series.numbered and number is None:
        return None
    slug = bulletin_slug(series_key, number if the_series.numbered else None, date)
    return Bulletin(
        source_path=source_path,
        series=the_series,
        date=date,
        lang=lang,
        number=number if the_series.numbered else None,
        translation_key=str(metadata.get("translation") or slug).strip(),
        title=str(metadata.get("title", "")),
    )


def bulletin_of(file: SourceFile, series: Mapping[str, Series]) -> Bulletin | None:
    """The typed bulletin of a loaded file, or None when its header cannot make one."""
    metadata: dict[str, Any] = dict(file.metadata)
    date = parse_iso_date(file.raw("date") or "")
    if date is None:
        return None
    metadata["date"] = date
    return bulletin_from_metadata(metadata, file.path, series)


# ---------------------------------------------------------------------------
# Editions and files other capabilities publish beside a bulletin.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfEdition:
    """The PDF edition of one bulletin, as written in the output.

    plugins.pdf_edition sets ``article.pdf`` to one of these (or to None when
    rendering failed, after logging a Problem); feeds and templates read it.
    """

    url: str  # relative to the sub-site's SITEURL: info-psoc/info-psoc-01/info-psoc-01.pdf
    path: Path  # absolute path of the written file
    size: int  # bytes


# ---------------------------------------------------------------------------
# Metadata problems the build and plugins.validation must word identically
# (so the same mistake, seen by both, is printed once).
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


def parse_iso_date(raw: str) -> dt.datetime | None:
    """``AAAA-MM-JJ`` (optionally ``HH:MM``) as a real date, None otherwise."""
    match = _ISO_DATE.match(raw.strip())
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def date_problem(path: str, text: str) -> Problem | None:
    """The problem with a header's ``Date`` (absent dates are not reported here)."""
    raw = metadata_value(text, "date")
    if raw is None or parse_iso_date(raw) is not None:
        return None
    return Problem(
        path,
        metadata_lines(text).get("date", 1),
        f"date impossible « {raw} » : écrivez une date réelle sous la forme AAAA-MM-JJ "
        "(par exemple 2017-05-17)",
    )


def missing_metadata_problem(path: str, text: str, key: str) -> Problem:
    """``Title`` or ``Date`` absent (or the whole file empty), at line 1."""
    if not text.strip():
        return Problem(
            path, 1, "fichier vide : un bulletin commence par ses métadonnées (Title, Date, …)"
        )
    return missing_key_problem(path, key)


def missing_key_problem(path: str, key: str) -> Problem:
    """The header lacks ``key`` (or leaves it blank): at line 1, where it goes."""
    name = key.capitalize()
    return Problem(
        path,
        1,
        f"métadonnée obligatoire manquante « {name} » : ajoutez une ligne « {name}: … » "
        "en tête du fichier",
    )


def missing_keys_problems(
    path: str, metadata: Mapping[str, Any], required: Iterable[str]
) -> list[Problem]:
    """One problem for each key of ``required`` that ``metadata`` lacks or leaves blank."""
    return [
        missing_key_problem(path, key) for key in required if not str(metadata.get(key, "")).strip()
    ]


# ---------------------------------------------------------------------------
# Meetings and budget updates (plugins.meetings, plugins.budget).
# ---------------------------------------------------------------------------


class MeetingStatus(StrEnum):
    """Where a meeting stands; the value is what staff write in ``Status``."""

    PLANNED = "prévue"
    HELD = "tenue"
    POSTPONED = "reportée"
    CANCELLED = "annulée"


@dataclass(frozen=True)
class Meeting:
    """One meeting of a group, read from ``content/reunions/<group>/*.md``.

    ``start`` and ``end`` are aware datetimes in America/Montreal; for an
    all-day meeting they are local midnights and ``end`` is the last day
    (inclusive). ``slug`` is the file name without ``.md``; ``uid`` derives
    from the file's path, so it never changes when a title is edited.
    """

    source_path: str
    title: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    group: str
    number: int | None
    location: str
    status: MeetingStatus
    objectives_html: str
    minutes_html: str
    slug: str
    uid: str
    lang: str = "fr"  # of title, objectives and minutes (an English twin gives "en")

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return self.end.date()


@dataclass(frozen=True)
class BudgetUpdate:
    """One budget update, amounts in millions of dollars.

    An amount the sources do not give is None (never 0): it is shown as
    unknown, not as nothing.
    """

    source_path: str
    title: str
    date: dt.date
    fiscal_year: str | None  # "2017-2018"
    demanded: Decimal | None
    announced: Decimal | None
    added: Decimal | None
    years: int | None
    source: str | None
    body_html: str
    slug: str


def invalid_field(
    path: str, text: str, metadata: Mapping[str, Any], key: str, parse, message: str
) -> list[Problem]:
    """One problem on ``key``'s line when it is present and ``parse`` returns None.

    ``message`` is formatted with the raw value as ``{raw}``.
    """
    if key not in metadata or parse(metadata[key]) is not None:
        return []
    line = metadata_lines(text).get(key, 1)
    return [Problem(path, line, message.format(raw=metadata[key]))]


# ---------------------------------------------------------------------------
# Histoires d'OCASSS: the action's messages (plugins.histoires).
# ---------------------------------------------------------------------------


class Network(StrEnum):
    """Where a message was sent; the value is the heading staff write (``## Twitter``)."""

    TWITTER = "twitter"
    FACEBOOK = "facebook"


class StoryStatus(StrEnum):
    """A draft is checked strictly; a sent record is published as it was sent."""

    DRAFT = "brouillon"
    SENT = "envoyé"


@dataclass(frozen=True)
class Regroupement:
    """A regroupement of the action (``REGROUPEMENTS``): its key is its URL."""

    key: str
    name: str
    acronym: str
    forms: tuple[str, ...] = ()  # other ways messages name it (« l'R », « la Fédé »)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way to name it, longest first."""
        return tuple(sorted({self.name, self.acronym, *self.forms}, key=len, reverse=True))


@dataclass(frozen=True)
class StoryMessage:
    """One message, its text exactly as written, and the line it starts on."""

    network: Network
    text: str
    line: int


@dataclass(frozen=True)
class Story:
    """One event's messages, read from ``content/histoires/<date>-<slug>.md``."""

    path: str  # as staff see it
    slug: str  # the file name without .md
    title: str  # the event
    date: dt.date
    group: Regroupement | None  # None: the messages' group is not known
    status: StoryStatus
    event: str | None  # forum, AGA, manifestation…
    messages: tuple[StoryMessage, ...]
