"""Calendar pages and ICS files: a Pelican generator of its own.

Pages go through the generator's Jinja environment (gettext and the Babel
filters of plugins.i18n are installed in it at ``generator_init``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from plugins.addresses import absolute_base
from plugins.context import current
from plugins.i18n.catalogues import gettext_for
from plugins.i18n.formatting import format_date, format_time
from plugins.i18n.twins import Twin
from plugins.meetings.ics import cached_calendar_bytes
from plugins.meetings.reading import Catalogue, group_name, known_groups
from plugins.model import Meeting

ALL_MEETINGS = {"fr": "toutes-les-rencontres", "en": "all-meetings"}


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting as a page shows it."""

    meeting: Meeting
    url: str  # relative to SITEURL
    group_name: str
    when: str  # « 16 juin 2021, 9 h 30 – 12 h 00 »
    upcoming: bool


@dataclass(frozen=True)
class GroupView:
    """One group's calendar: upcoming meetings first (soonest first), then past ones."""

    key: str
    name: str
    url: str
    ics_url: str
    upcoming: tuple[MeetingEntry, ...]
    past: tuple[MeetingEntry, ...]

    @property
    def entries(self) -> tuple[MeetingEntry, ...]:
        return self.upcoming + self.past


def calendar_dir(settings: Mapping[str, Any], lang: str | None = None) -> str:
    """``calendrier`` or ``calendar``: the sub-site's folder for calendars."""
    lang = lang or settings["DEFAULT_LANG"]
    overrides = settings.get("LANGUAGES", {}).get(lang, {}).get("overrides", {})
    if lang == settings.get("DEFAULT_LANG"):
        return settings.get("CALENDAR_DIR") or overrides.get("CALENDAR_DIR", "calendrier")
    return overrides.get("CALENDAR_DIR", "calendrier")


def all_meetings_name(settings: Mapping[str, Any], lang: str) -> str:
    return settings.get("CALENDAR_ALL_NAMES", ALL_MEETINGS).get(lang, ALL_MEETINGS["fr"])


def meeting_url(meeting: Meeting, folder: str) -> str:
    return f"{folder}/{meeting.group}/{meeting.slug}/"


@functools.lru_cache(maxsize=4096)
def describe_when(meeting: Meeting, lang: str) -> str:
    """The date (and times) of a meeting in the reader's language."""
    first = format_date(meeting.first_day, lang, "long")
    if meeting.all_day:
        if meeting.last_day == meeting.first_day:
            return first
        return f"{first} – {format_date(meeting.last_day, lang, 'long')}"
    start = format_time(meeting.start, lang)
    if meeting.end <= meeting.start:
        return f"{first}, {start}"
    if meeting.last_day == meeting.first_day:
        return f"{first}, {start} – {format_time(meeting.end, lang)}"
    last = format_date(meeting.last_day, lang, "long")
    return f"{first}, {start} – {last}, {format_time(meeting.end, lang)}"


def is_upcoming(meeting: Meeting, today: dt.date) -> bool:
    return meeting.last_day >= today


def entries(
    meetings: Iterable[Meeting], settings: Mapping[str, Any], today: dt.date
) -> tuple[tuple[MeetingEntry, ...], tuple[MeetingEntry, ...]]:
    """(upcoming soonest first, past most recent first)."""
    lang = settings["DEFAULT_LANG"]
    folder = calendar_dir(settings)
    made = [
        MeetingEntry(
            meeting=m,
            url=meeting_url(m, folder),
            group_name=group_name(settings, m.group, lang),
            when=describe_when(m, lang),
            upcoming=is_upcoming(m, today),
        )
        for m in sorted(meetings, key=lambda m: (m.start, m.source_path))
    ]
    upcoming = tuple(e for e in made if e.upcoming)
    past = tuple(reversed([e for e in made if not e.upcoming]))
    return upcoming, past


def group_views(catalogue: Catalogue, settings: Mapping[str, Any]) -> list[GroupView]:
    """One view per configured group, in settings order."""
    lang = settings["DEFAULT_LANG"]
    folder = calendar_dir(settings)
    views = []
    for key in known_groups(settings):
        meetings = catalogue.of_group(key, lang)
        upcoming, past = entries(meetings, settings, catalogue.today)
        views.append(
            GroupView(
                key=key,
                name=group_name(settings, key, lang),
                url=f"{folder}/{key}/",
                ics_url=f"{folder}/{key}.ics",
                upcoming=upcoming,
                past=past,
            )
        )
    return views


def calendar_feeds(views: Iterable[GroupView], settings: Mapping[str, Any]) -> list[dict]:
    """``CALENDAR_FEEDS``: the all-groups ICS first, then one per group."""
    lang = settings["DEFAULT_LANG"]
    _ = gettext_for(settings["THEME"], lang)
    folder = calendar_dir(settings)
    feeds = [
        {
            "title": _("Toutes les rencontres"),
            "url": f"{folder}/{all_meetings_name(settings, lang)}.ics",
        }
    ]
    feeds += [{"title": view.name, "url": view.ics_url} for view in views if view.entries]
    return feeds


def calendar_twins(path: str, settings: Mapping[str, Any]) -> list[Twin]:
    """The same calendar page in the other languages (their folder name differs)."""
    lang = settings["DEFAULT_LANG"]
    here = calendar_dir(settings)
    rest = path[len(here) :]
    return [
        Twin(lang=other, path=calendar_dir(settings, other) + rest, title="")
        for other in settings.get("LANGUAGE_SITEURLS", {})
        if other != lang
    ]


def ics_cache_root(settings: Mapping[str, Any]) -> Path | None:
    """``BUILD_CACHE_PATH`` (relative to the project), or None to build without a memo."""
    if not settings.get("BUILD_CACHE_PATH"):
        return None
    return Path(settings.get("PROJECT_ROOT") or ".") / settings["BUILD_CACHE_PATH"]


class CalendarGenerator(Generator):
    """Writes /calendrier/, one page per group and per meeting, and the ICS files."""

    def generate_context(self) -> None:
        catalogue = current().model.catalogue
        self.catalogue = catalogue
        self.views = group_views(catalogue, self.settings)
        lang = self.settings["DEFAULT_LANG"]
        upcoming, past = entries(catalogue.meetings_in(lang), self.settings, catalogue.today)
        self.upcoming, self.past = upcoming, past
        folder = calendar_dir(self.settings)
        self.context["CALENDAR_GROUPS"] = self.views
        self.context["CALENDAR_FEEDS"] = calendar_feeds(self.views, self.settings)
        self.context["CALENDAR_INDEX_URL"] = f"{folder}/"
        self.context["UPCOMING_MEETINGS"] = upcoming

    def generate_output(self, writer) -> None:
        if not current().writes_everything:
            return  # a preview's quick pass: no calendar page was edited
        folder = calendar_dir(self.settings)
        common = {"relative_urls": self.settings["RELATIVE_URLS"]}
        writer.write_file(
            f"{folder}/index.html",
            self.get_template("meetings/calendar"),
            self.context,
            groups=self.views,
            upcoming=self.upcoming,
            past=self.past,
            page_url=f"{folder}/",
            page_twins=calendar_twins(f"{folder}/", self.settings),
            **common,
        )
        for view in self.views:
            writer.write_file(
                f"{view.url}index.html",
                self.get_template("meetings/group"),
                self.context,
                group=view,
                page_url=view.url,
                page_twins=calendar_twins(view.url, self.settings),
                **common,
            )
            for entry in view.entries:
                writer.write_file(
                    f"{entry.url}index.html",
                    self.get_template("meetings/meeting"),
                    self.context,
                    group=view,
                    entry=entry,
                    meeting=entry.meeting,
                    page_url=entry.url,
                    page_twins=calendar_twins(entry.url, self.settings),
                    **common,
                )
        self.write_calendars()

    def write_calendars(self) -> None:
        lang = self.settings["DEFAULT_LANG"]
        _ = gettext_for(self.settings["THEME"], lang)
        base = absolute_base(self.settings)
        folder = calendar_dir(self.settings)
        meetings = self.catalogue.meetings_in(lang)
        urls = {m.uid: f"{base}/{meeting_url(m, folder)}" for m in meetings}
        names = {key: group_name(self.settings, key, lang) for key in known_groups(self.settings)}
        files = {
            f"{view.ics_url}": (view.name, self.catalogue.of_group(view.key, lang))
            for view in self.views
        }
        files[f"{folder}/{all_meetings_name(self.settings, lang)}.ics"] = (
            _("Rencontres de la CTROC et de ses partenaires"),
            meetings,
        )
        cache = ics_cache_root(self.settings)
        revisions = {m.uid: self.catalogue.revision(m) for m in meetings}
        for path, (name, items) in files.items():
            target = Path(self.output_path) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            data = cached_calendar_bytes(cache, items, name, lang, urls, names, revisions)
            target.write_bytes(data)
