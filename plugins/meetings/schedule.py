"""The ``[[calendrier <groupe>]]`` marker: a group's schedule inside a bulletin.

The marker is expanded while Markdown is converted, so the bulletin's HTML,
its PDF edition and the feeds all carry the same table, made from the
meeting files (one source of truth).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor

from plugins.i18n.catalogues import gettext_for
from plugins.i18n.formatting import format_date
from plugins.model import Meeting, Problem, relative_source

MARKER = re.compile(r"^\s*\[\[\s*calendrier\s+([^\]\s]+)\s*\]\]\s*$")


def date_range(meeting: Meeting, lang: str) -> str:
    """« 1 mars 2013 », or « 12 octobre 2021 – 14 octobre 2021 »."""
    first = format_date(meeting.first_day, lang, "long")
    if meeting.last_day == meeting.first_day:
        return first
    return f"{first} – {format_date(meeting.last_day, lang, 'long')}"


def schedule_table(meetings: Iterable[Meeting], lang: str, theme: str) -> str:
    """The HTML table of a group's meetings: number, date, objectives."""
    _ = gettext_for(theme, lang)
    rows = []
    for meeting in meetings:
        number = (
            _("Rencontre {number}").format(number=meeting.number)
            if meeting.number
            else html.escape(meeting.title)
        )
        rows.append(
            "<tr>"
            f'<th scope="row">{number}</th>'
            f'<td><time datetime="{meeting.first_day.isoformat()}">'
            f"{html.escape(date_range(meeting, lang))}</time></td>"
            f"<td>{meeting.objectives_html}</td>"
            "</tr>"
        )
    labels = (_("Rencontre"), _("Date"), _("Objectifs de la rencontre"))
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    return (
        '<table class="schedule">'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class SchedulePreprocessor(Preprocessor):
    """Replaces each marker line by the stashed schedule table."""

    def __init__(self, md, settings: dict[str, Any]):
        super().__init__(md)
        self.settings = settings

    def run(self, lines: list[str]) -> list[str]:
        from plugins.meetings.reading import catalogue_for

        meta = getattr(self.md, "Meta", {}) or {}
        lang = (meta.get("lang") or [self.settings.get("DEFAULT_LANG", "fr")])[0].strip()[:2]
        out = []
        for line in lines:
            match = MARKER.match(line)
            if not match or match.group(1) not in self.settings.get("GROUPS", {}):
                out.append(line)  # unknown groups are reported by marker_problems
                continue
            meetings = catalogue_for(self.settings).of_group(match.group(1), lang)
            table = schedule_table(meetings, lang, self.settings["THEME"])
            out.extend(["", self.md.htmlStash.store(table), ""])
        return out


class ScheduleExtension(Extension):
    """Markdown extension installed by plugins.meetings at ``initialized``."""

    def __init__(self, settings: dict[str, Any]):
        super().__init__()
        self.settings = settings

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        # After "meta" (27): the bulletin's Lang is known.
        md.preprocessors.register(SchedulePreprocessor(md, self.settings), "calendrier", 20)


def marker_problems(path: str, text: str, groups: Mapping[str, Any]) -> list[Problem]:
    """A marker naming an unknown group, at its line."""
    from plugins.meetings.reading import suggestion

    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.match(line)
        if match and match.group(1) not in groups:
            group = match.group(1)
            problems.append(
                Problem(
                    path,
                    number,
                    f"calendrier d'un groupe inconnu « {group} »{suggestion(group, groups)} ; "
                    f"groupes connus : {', '.join(groups)}",
                )
            )
    return problems


def bulletin_marker_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Unknown groups in the markers of every bulletin of the content."""
    problems = []
    for folder in settings.get("ARTICLE_PATHS", []):
        for file in sorted((Path(settings["PATH"]) / folder).rglob("*.md")):
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # reported by the build as an unreadable file
            problems += marker_problems(
                relative_source(file, settings), text, settings.get("GROUPS", {})
            )
    return problems
