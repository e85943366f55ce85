"""The ``[[calendrier <groupe>]]`` marker: a group's schedule inside a bulletin.

The marker is expanded while Markdown is converted, so the bulletin's HTML,
its PDF edition and the feeds all carry the same table, made from the
meeting files (one source of truth).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor

from plugins.i18n.catalogues import gettext_for
from plugins.i18n.formatting import format_date
from plugins.meetings.reading import Catalogue
from plugins.model import Meeting, MeetingStatus, Problem

KEYWORD = "calendrier"
# Any line made of one bracketed text: a marker, or a marker mistyped.
MARKER_LIKE = re.compile(r"^\s*(?P<open>\[{1,2})(?P<body>[^\[\]]*)(?P<close>\]{1,2})\s*$")
INLINE = re.compile(r"\[\[\s*(?P<word>[^\s\[\]]+)[^\[\]]*\]\]")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Marker:
    """A marker line: the group it names (valid marker) or what is wrong with it."""

    group: str | None
    problem: str | None = None


def _fold(text: str) -> str:
    """Lower case without accents, so « Calendrier » and « calendrier » compare equal."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _close(word: str, choices: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(_fold(word), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def read_marker(line: str, groups: Mapping[str, Any]) -> Marker | None:
    """The marker of ``line``; None when the line does not look like one.

    Case and spacing do not matter (``[[ Calendrier  GT-Financement ]]`` is
    valid). A line that looks like a marker but is not valid (misspelled
    keyword, missing or unknown group, single brackets) gets a French
    problem with the marker it probably meant.
    """
    if "[" not in line:
        return None
    match = MARKER_LIKE.match(line)
    if not match:
        inline = INLINE.search(line)
        if inline and _close(inline.group("word"), [KEYWORD]):
            return Marker(
                None,
                f"marqueur « {inline.group(0)} » au milieu d'un texte : il n'est pas remplacé "
                f"— vouliez-vous dire « {inline.group(0)} » seul sur sa ligne ?",
            )
        return None
    words = match.group("body").split()
    if not words or _close(words[0], [KEYWORD]) is None:
        return None  # a bracketed text that is not about calendars
    doubled = match.group("open") == "[[" or match.group("close") == "]]"
    if not doubled and len(words) != 2:
        return None  # ``[calendrier des rencontres]`` is prose, not a marker
    by_folded = {_fold(key): key for key in groups}
    wanted = by_folded.get(_fold(words[1])) if len(words) == 2 else None
    if len(words) >= 2:
        guess = wanted or by_folded.get(_close(words[1], by_folded) or "", "")
    else:
        guess = ""
    brackets = (match.group("open"), match.group("close")) == ("[[", "]]")
    well_formed = brackets and _fold(words[0]) == KEYWORD
    if well_formed and wanted:
        return Marker(wanted)
    written = line.strip()
    known = ", ".join(groups)
    if well_formed and len(words) == 2:
        return Marker(
            None,
            f"calendrier d'un groupe inconnu « {words[1]} »"
            f"{f' — vouliez-vous dire « {guess} » ?' if guess else ''} ; groupes connus : {known}",
        )
    meant = f"[[{KEYWORD} {guess or next(iter(groups), '<groupe>')}]]"
    if len(words) < 2:
        reason = "marqueur de calendrier sans groupe"
    elif len(words) > 2:
        reason = "marqueur de calendrier avec plusieurs mots après « calendrier »"
    else:
        reason = "marqueur de calendrier mal écrit"
    return Marker(
        None,
        f"{reason} « {written} » — vouliez-vous dire « {meant} » ? "
        f"Écrivez « [[{KEYWORD} <groupe>]] » seul sur sa ligne ; groupes connus : {known}",
    )


def marker_lines(text: str) -> Iterable[tuple[int, str]]:
    """(number, line) of the lines outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def date_range(meeting: Meeting, lang: str) -> str:
    """« 1 mars 2013 », or « 12 octobre 2021 – 14 octobre 2021 »."""
    first = format_date(meeting.first_day, lang, "long")
    if meeting.last_day == meeting.first_day:
        return first
    return f"{first} – {format_date(meeting.last_day, lang, 'long')}"


def status_label(status: MeetingStatus, _) -> str:
    """« Prévue », « Tenue », « Reportée », « Annulée » in the language of ``_``."""
    labels = {
        MeetingStatus.PLANNED: _("Prévue"),
        MeetingStatus.HELD: _("Tenue"),
        MeetingStatus.POSTPONED: _("Reportée"),
        MeetingStatus.CANCELLED: _("Annulée"),
    }
    return labels[status]


def schedule_table(meetings: Iterable[Meeting], lang: str, theme: str) -> str:
    """The HTML table of a group's meetings: number, date, status, objectives."""
    _ = gettext_for(theme, lang)
    rows = []
    for meeting in meetings:
        number = (
            _("Rencontre {number}").format(number=meeting.number)
            if meeting.number
            else html.escape(meeting.title)
        )
        status = meeting.status.name.lower()
        rows.append(
            f'<tr class="schedule__row schedule__row--{status}">'
            f'<th scope="row">{number}</th>'
            f'<td><time datetime="{meeting.first_day.isoformat()}">'
            f"{html.escape(date_range(meeting, lang))}</time></td>"
            f'<td class="schedule__status">{html.escape(status_label(meeting.status, _))}</td>'
            f"<td>{meeting.objectives_html}</td>"
            "</tr>"
        )
    labels = (_("Rencontre"), _("Date"), _("Statut"), _("Objectifs de la rencontre"))
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    return (
        '<table class="schedule">'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class SchedulePreprocessor(Preprocessor):
    """Replaces each marker line by the stashed schedule table."""

    def __init__(self, md, extension: ScheduleExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        meta = getattr(self.md, "Meta", {}) or {}
        lang = (meta.get("lang") or ["fr"])[0].strip()[:2]
        out = []
        fenced = False
        for line in lines:
            if FENCE.match(line):
                fenced = not fenced
            marker = None if fenced else read_marker(line, self.extension.groups)
            if marker is None or marker.group is None:
                out.append(line)  # invalid markers are reported by marker_problems
                continue
            out.extend(["", self.md.htmlStash.store(self.extension.table(marker.group, lang)), ""])
        return out


class ScheduleExtension(Extension):
    """Markdown extension expanding markers with the meetings of one catalogue."""

    def __init__(self, catalogue: Catalogue, groups: Mapping[str, Any], theme: str):
        super().__init__()
        self.catalogue = catalogue
        self.groups = dict(groups)
        self.theme = theme
        self.tables: dict[tuple[str, str], str] = {}

    def table(self, group: str, lang: str) -> str:
        """One table per group and language, however many bulletins embed it."""
        if (group, lang) not in self.tables:
            meetings = self.catalogue.of_group(group, lang)
            self.tables[group, lang] = schedule_table(meetings, lang, self.theme)
        return self.tables[group, lang]

    def digest(self) -> str:
        """What the tables are made of: the meetings, the groups and the catalogues."""
        digest = hashlib.sha256(repr((self.catalogue.meetings, self.catalogue.twins)).encode())
        digest.update(repr(sorted(self.groups.items())).encode())
        for path in sorted((Path(self.theme) / "translations").rglob("*.po")):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        # After "meta" (27): the bulletin's Lang is known.
        md.preprocessors.register(SchedulePreprocessor(md, self), "calendrier", 20)


def marker_problems(path: str, text: str, groups: Mapping[str, Any]) -> list[Problem]:
    """Each line that looks like a marker but is not a valid one, at its line."""
    problems = []
    for number, line in marker_lines(text):
        marker = read_marker(line, groups)
        if marker is not None and marker.problem:
            problems.append(Problem(path, number, marker.problem))
    return problems
