"""Meeting files → typed ``Meeting`` values and the problems of the others.

The loader (plugins.content) reads and converts each file once; here its
header's dates are parsed as Pelican parses them and every check runs. A file
with any problem yields no Meeting, so no page or ICS is ever written from a
half-parsed meeting.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from plugins.model import (
    Meeting,
    MeetingStatus,
    Problem,
    SourceFile,
    invalid_field,
    metadata_lines,
    missing_key_problem,
    missing_keys_problems,
    parse_number,
)

TIMEZONE = ZoneInfo("America/Montreal")
MEETINGS_DIR = "reunions"
REQUIRED = ("title", "date", "group")


# SEQUENCE of an ICS event when the file has no ``Sequence``: a calendar
# client replaces its copy of an event only by a higher SEQUENCE, so a
# postponement, then a cancellation, always reach subscribers.
STATUS_SEQUENCE = {
    MeetingStatus.PLANNED: 0,
    MeetingStatus.HELD: 0,
    MeetingStatus.POSTPONED: 1,
    MeetingStatus.CANCELLED: 2,
}


@dataclass(frozen=True)
class Revision:
    """How far a meeting's ICS event was revised, from its file only (never the clock).

    ``sequence`` is ``Sequence`` when given, and never below what the status
    implies (STATUS_SEQUENCE); ``modified`` is ``Modified`` in UTC, or None.
    """

    sequence: int = 0
    modified: dt.datetime | None = None


@dataclass(frozen=True)
class Catalogue:
    """Every valid meeting of the run (by start) and the problems found."""

    meetings: tuple[Meeting, ...]
    problems: tuple[Problem, ...]
    today: dt.date
    twins: Mapping[str, Mapping[str, Meeting]] = field(default_factory=dict)  # uid → lang
    revisions: Mapping[str, Revision] = field(default_factory=dict)  # uid → revision

    def revision(self, meeting: Meeting) -> Revision:
        return self.revisions.get(meeting.uid, Revision(STATUS_SEQUENCE[meeting.status]))

    def meetings_in(self, lang: str) -> tuple[Meeting, ...]:
        """The meetings, in ``lang`` where an English twin file exists."""
        return tuple(self.twins.get(m.uid, {}).get(lang, m) for m in self.meetings)

    def of_group(self, group: str, lang: str = "fr") -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings_in(lang) if m.group == group)


@dataclass(frozen=True)
class ParsedSource:
    """A meeting or budget file as loaded, its dates parsed as Pelican parses them."""

    path: str  # as staff see it: content/reunions/…
    stem: str  # file name without .md
    folder: str  # path below content/reunions/, without .md
    text: str
    html: str
    metadata: Mapping[str, Any]


def build_today(settings: Mapping[str, Any]) -> dt.date:
    """``BUILD_TODAY`` (a date or ``AAAA-MM-JJ``) or today in Quebec."""
    value = settings.get("BUILD_TODAY")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value:
        return dt.date.fromisoformat(str(value))
    return dt.datetime.now(TIMEZONE).date()


def known_groups(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``GROUPS`` as {key: {lang: name}}."""
    return {key: dict(conf.get("name", {})) for key, conf in settings.get("GROUPS", {}).items()}


def group_name(settings: Mapping[str, Any], key: str, lang: str) -> str:
    names = known_groups(settings).get(key, {})
    return names.get(lang) or names.get("fr") or key


def fold(text: str) -> str:
    """Lower case without accents: « Prévue » and « prevue » compare equal."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_status(raw: str) -> MeetingStatus | None:
    wanted = fold(raw)
    return next((s for s in MeetingStatus if fold(s.value) == wanted), None)


def suggestion(value: str, choices: Iterable[str]) -> str:
    """`` — vouliez-vous dire « x » ?`` for a near miss, else ``""``."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" — vouliez-vous dire « {close[0]} » ?" if close else ""


# ---------------------------------------------------------------------------
# Checks: each takes plain data and returns problems.
# ---------------------------------------------------------------------------


def group_problems(source: ParsedSource, groups: Mapping[str, Any]) -> list[Problem]:
    group = str(source.metadata.get("group", "")).strip()
    if not group or group in groups:
        return []
    line = metadata_lines(source.text).get("group", 1)
    known = ", ".join(groups)
    return [
        Problem(
            source.path,
            line,
            f"groupe inconnu « {group} »{suggestion(group, groups)} ; "
            f"groupes connus (GROUPS dans pelicanconf.py) : {known}",
        )
    ]


def status_problems(source: ParsedSource) -> list[Problem]:
    raw = str(source.metadata.get("status", MeetingStatus.PLANNED.value))
    if parse_status(raw) is not None:
        return []
    allowed = ", ".join(s.value for s in MeetingStatus)
    return [
        Problem(
            source.path,
            metadata_lines(source.text).get("status", 1),
            f"statut inconnu « {raw.strip()} » ; statuts possibles : {allowed}",
        )
    ]


def number_problems(source: ParsedSource) -> list[Problem]:
    return invalid_field(
        source.path,
        source.text,
        source.metadata,
        "number",
        parse_number,
        "numéro de rencontre invalide « {raw} » : écrivez un entier positif (1, 2, 3…)",
    )


def parse_sequence(raw: Any) -> int | None:
    """``Sequence``: 0 or a positive integer, else None."""
    text = str(raw).strip()
    return int(text) if text.isdigit() else None


def sequence_problems(source: ParsedSource) -> list[Problem]:
    return invalid_field(
        source.path,
        source.text,
        source.metadata,
        "sequence",
        parse_sequence,
        "numéro de révision invalide « {raw} » pour Sequence : "
        "écrivez un entier (0, 1, 2…) et augmentez-le à chaque changement de date ou de lieu",
    )


def revision_from_source(source: ParsedSource, status: MeetingStatus) -> Revision:
    """The event's SEQUENCE and LAST-MODIFIED (see Revision), from a checked file."""
    raw = source.metadata.get("sequence")
    explicit = parse_sequence(raw) if raw is not None else None
    modified = local_datetime(source.metadata.get("modified"))
    return Revision(
        sequence=max(explicit or 0, STATUS_SEQUENCE[status]),
        modified=modified.astimezone(dt.UTC) if modified else None,
    )


def end_problems(source: ParsedSource) -> list[Problem]:
    """End unreadable, or before the start."""
    start = local_datetime(source.metadata.get("date"))
    raw_end = source.metadata.get("end")
    if raw_end is None or start is None:
        return []
    line = metadata_lines(source.text).get("end", 1)
    end = parse_end(raw_end)
    if end is None:
        return [
            Problem(
                source.path,
                line,
                f"fin illisible « {raw_end} » : écrivez AAAA-MM-JJ ou AAAA-MM-JJ HH:MM",
            )
        ]
    if end < start:
        return [
            Problem(
                source.path,
                line,
                f"la fin ({end:%Y-%m-%d %H:%M}) précède le début ({start:%Y-%m-%d %H:%M}) ; "
                "corrigez Date ou End",
            )
        ]
    return []


def stale_status_problems(meeting: Meeting, text: str, today: dt.date) -> list[Problem]:
    """A meeting already over but still « prévue »."""
    if meeting.status is not MeetingStatus.PLANNED or meeting.last_day >= today:
        return []
    return [
        Problem(
            meeting.source_path,
            metadata_lines(text).get("status", metadata_lines(text).get("date", 1)),
            f"rencontre passée ({meeting.last_day:%Y-%m-%d}) encore « prévue » : "
            "indiquez « tenue », « reportée » ou « annulée »",
        )
    ]


def duplicate_number_problems(
    meetings: Iterable[Meeting], texts: Mapping[str, str]
) -> list[Problem]:
    """Two meetings of one group with the same Number."""
    seen: dict[tuple[str, int], Meeting] = {}
    problems = []
    for meeting in meetings:
        if meeting.number is None:
            continue
        key = (meeting.group, meeting.number)
        if key in seen:
            problems.append(
                Problem(
                    meeting.source_path,
                    metadata_lines(texts.get(meeting.source_path, "")).get("number", 1),
                    f"numéro {meeting.number} déjà utilisé par {seen[key].source_path} "
                    f"dans le groupe « {meeting.group} » : chaque rencontre a son numéro",
                )
            )
        else:
            seen[key] = meeting
    return problems


def duplicate_problems(meetings: Iterable[Meeting]) -> list[Problem]:
    """Two meetings of one group with the same slug would share a page."""
    seen: dict[tuple[str, str], Meeting] = {}
    problems = []
    for meeting in meetings:
        key = (meeting.group, meeting.slug)
        if key in seen:
            problems.append(
                Problem(
                    meeting.source_path,
                    1,
                    f"même nom de fichier que {seen[key].source_path} dans le groupe "
                    f"« {meeting.group} » : renommez l'un des deux",
                )
            )
        else:
            seen[key] = meeting
    return problems


# ---------------------------------------------------------------------------
# Building the typed meeting.
# ---------------------------------------------------------------------------


def local_datetime(value: Any) -> dt.datetime | None:
    """A Pelican date (naive = Quebec local time) as an aware datetime."""
    if isinstance(value, dt.datetime):
        naive = dt.datetime(value.year, value.month, value.day, value.hour, value.minute)
        if value.tzinfo is not None:
            return value.astimezone(TIMEZONE)
        return naive.replace(tzinfo=TIMEZONE)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=TIMEZONE)
    return None


_END = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


def parse_end(raw: Any) -> dt.datetime | None:
    """``End``: AAAA-MM-JJ or AAAA-MM-JJ HH:MM, local time."""
    if isinstance(raw, dt.date):
        return local_datetime(raw)
    match = _END.match(str(raw).strip())
    if not match:
        return None
    year, month, day, hour, minute = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)
    except ValueError:
        return None


_HEADING = re.compile(r"<h2[^>]*>(.*?)</h2>", re.S)
OBJECTIVES = {"objectifs", "objectifs de la rencontre", "objectives", "ordre du jour"}
MINUTES = {"compte rendu", "compte-rendu", "minutes", "proces-verbal"}


def split_body(html: str) -> tuple[str, str]:
    """(objectives, minutes) HTML from ``## Objectifs`` / ``## Compte rendu``.

    Text before any heading counts as objectives.
    """
    parts = _HEADING.split(html)
    objectives = [parts[0].strip()] if parts[0].strip() else []
    minutes: list[str] = []
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        name = fold(re.sub(r"<[^>]+>", "", title))
        target = minutes if name in MINUTES else objectives
        if name not in OBJECTIVES and name not in MINUTES:
            target.append(f"<h3>{title}</h3>")
        target.append(body.strip())
    return "\n".join(p for p in objectives if p), "\n".join(p for p in minutes if p)


def meeting_uid(folder: str, settings: Mapping[str, Any]) -> str:
    """Stable UID from the file's place: ``gt-financement-2013-03-01-rencontre-1@ctroc.org``."""
    domain = settings.get("CALENDAR_UID_DOMAIN", "ctroc.org")
    return f"{folder.replace('/', '-')}@{domain}"


def meeting_from_source(source: ParsedSource, settings: Mapping[str, Any]) -> Meeting | None:
    """The Meeting, or None when the file has a problem (reported elsewhere)."""
    meta = source.metadata
    start = local_datetime(meta.get("date"))
    status = parse_status(str(meta.get("status", MeetingStatus.PLANNED.value)))
    if start is None or status is None:
        return None
    end = parse_end(meta["end"]) if "end" in meta else start
    if end is None:
        return None
    midnight = dt.time(0, 0)
    all_day = start.timetz().replace(tzinfo=None) == midnight and (
        end.timetz().replace(tzinfo=None) == midnight
    )
    number = parse_number(meta["number"]) if "number" in meta else None
    objectives, minutes = split_body(source.html)
    return Meeting(
        source_path=source.path,
        title=str(meta.get("title", "")).strip(),
        start=start,
        end=end,
        all_day=all_day,
        group=str(meta.get("group", "")).strip(),
        number=number,
        location=str(meta.get("location", "")).strip(),
        status=status,
        objectives_html=objectives,
        minutes_html=minutes,
        slug=source.stem,
        uid=meeting_uid(source.folder, settings),
    )


def check_source(source: ParsedSource, settings: Mapping[str, Any]) -> list[Problem]:
    """Every problem of one file, before any Meeting is built from it."""
    groups = known_groups(settings)
    problems = missing_keys_problems(source.path, source.metadata, REQUIRED)
    problems += group_problems(source, groups)
    problems += status_problems(source) + number_problems(source) + end_problems(source)
    return problems + sequence_problems(source)


TWIN_SUFFIX = re.compile(r"\.(?P<lang>en)$")


def twin_lang(source: ParsedSource) -> str | None:
    """``en`` for ``2013-03-01-rencontre-1.en.md``, None for a French original."""
    match = TWIN_SUFFIX.search(source.stem)
    return match.group("lang") if match else None


def twin_problems(
    source: ParsedSource, originals: Mapping[str, Meeting], present: Iterable[str] = ()
) -> list[Problem]:
    """The twin's own problems; none about an original that exists but is invalid.

    ``present`` holds the folders of every French file, valid or not: the
    original's mistakes are reported on the original only.
    """
    original = TWIN_SUFFIX.sub("", source.folder)
    if original not in originals and original in present:
        return []
    if original not in originals:
        return [
            Problem(
                source.path,
                1,
                f"traduction sans rencontre française : créez d'abord "
                f"content/{MEETINGS_DIR}/{original}.md (ou corrigez le nom du fichier)",
            )
        ]
    if not str(source.metadata.get("title", "")).strip():
        return [missing_key_problem(source.path, "title")]
    return []


def localized_meeting(original: Meeting, twin: ParsedSource, lang: str) -> Meeting:
    """The French meeting with the twin's title, place and texts."""
    objectives, minutes = split_body(twin.html)
    return replace(
        original,
        title=str(twin.metadata["title"]).strip(),
        location=str(twin.metadata.get("location", original.location)).strip(),
        objectives_html=objectives,
        minutes_html=minutes,
        lang=lang,
    )


def catalogue_from_sources(
    sources: Iterable[ParsedSource],
    settings: Mapping[str, Any],
    today: dt.date,
    on_disk: Iterable[str] = (),
) -> Catalogue:
    """Typed meetings (sorted by start, then file) and every problem.

    ``on_disk`` holds the folders of every meeting file found, even unreadable.
    """
    problems: list[Problem] = []
    meetings: list[Meeting] = []
    sources = list(sources)
    twins = [s for s in sources if twin_lang(s)]
    sources = [s for s in sources if not twin_lang(s)]
    present = {s.folder for s in sources} | set(on_disk)
    originals: dict[str, Meeting] = {}
    revisions: dict[str, Revision] = {}
    for source in sources:
        found = check_source(source, settings)
        meeting = None if found else meeting_from_source(source, settings)
        if meeting is not None:
            found += stale_status_problems(meeting, source.text, today)
        problems += found
        if meeting is not None and not found:
            meetings.append(meeting)
            originals[source.folder] = meeting
            revisions[meeting.uid] = revision_from_source(source, meeting.status)
    translated: dict[str, dict[str, Meeting]] = {}
    for twin in twins:
        found = twin_problems(twin, originals, present)
        problems += found
        if not found and TWIN_SUFFIX.sub("", twin.folder) in originals:
            original = originals[TWIN_SUFFIX.sub("", twin.folder)]
            lang = twin_lang(twin) or "en"
            translated.setdefault(original.uid, {})[lang] = localized_meeting(original, twin, lang)
    meetings.sort(key=lambda m: (m.start, m.source_path))
    problems += duplicate_problems(meetings)
    problems += duplicate_number_problems(meetings, {s.path: s.text for s in sources})
    return Catalogue(tuple(meetings), tuple(problems), today, translated, revisions)


# ---------------------------------------------------------------------------
# From the loaded files.
# ---------------------------------------------------------------------------


NOT_MEETINGS = {"readme.md", "lisezmoi.md"}  # notes for staff, not meetings
DATED = ("date", "modified")


# A date written in the documented form, which may still name no real day or time.
DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}(?P<time>[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def date_problem(source: SourceFile, key: str) -> Problem:
    """A date (``Date`` or ``Modified``) that cannot be read, quoted at its line: not
    written in the documented form, or naming a day (or a time) that does not exist."""
    label = "date" if key == "date" else "date de modification (Modified)"
    raw = source.raw(key) or ""
    shaped = DATE_SHAPE.match(raw.strip())
    if shaped and shaped.group("time"):
        advice = "écrivez une date et une heure réelles (par exemple 2021-09-07 09:30)"
    elif shaped:
        advice = "écrivez une date réelle sous la forme AAAA-MM-JJ (par exemple 2021-09-07)"
    else:
        return Problem(
            source.path,
            source.line(key),
            f"{label} illisible « {raw} » : écrivez AAAA-MM-JJ ou AAAA-MM-JJ HH:MM",
        )
    return Problem(source.path, source.line(key), f"{label} impossible « {raw} » : {advice}")


def parse_source(source: SourceFile, root_dir: str) -> ParsedSource | Problem:
    """The file with ``Date`` and ``Modified`` read by Pelican's date parser, or the
    problem of the first one it cannot read."""
    from pelican.utils import get_date

    metadata: dict[str, Any] = {}
    for key, value in source.metadata.items():
        if key in DATED:
            try:
                metadata[key] = get_date(value.replace("_", " ") if key == "date" else value)
            except ValueError:
                return date_problem(source, key)
        elif key != "status" or value.strip():
            metadata[key] = value
    folder = source.relative.removeprefix(f"{root_dir}/").removesuffix(".md")
    return ParsedSource(source.path, source.stem, folder, source.text, source.html, metadata)


def parse_sources(
    files: Iterable[SourceFile], root_dir: str
) -> tuple[list[ParsedSource], list[Problem]]:
    """Every file parsed, and the problems of those that could not be."""
    sources, problems = [], []
    for file in files:
        parsed = parse_source(file, root_dir)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            sources.append(parsed)
    return sources, problems


def is_meeting_file(relative: str) -> bool:
    """Whether ``reunions/…/x.md`` is a meeting (not a note for staff)."""
    name = Path(relative).name
    return not name.startswith((".", "_")) and name.lower() not in NOT_MEETINGS


def catalogue_from_files(
    files: Iterable[SourceFile],
    settings: Mapping[str, Any],
    unreadable: Iterable[str] = (),
) -> Catalogue:
    """The catalogue of the loaded meeting files; ``unreadable``: the folders of
    the files that could not even be read (their translations are not orphans)."""
    files = list(files)
    sources, problems = parse_sources(files, MEETINGS_DIR)
    folders = {f.relative.removeprefix(f"{MEETINGS_DIR}/").removesuffix(".md") for f in files}
    catalogue = catalogue_from_sources(
        sources, settings, build_today(settings), folders | set(unreadable)
    )
    return replace(catalogue, problems=tuple(problems) + catalogue.problems)
