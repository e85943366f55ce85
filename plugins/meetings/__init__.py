"""Meetings of the groups: calendar pages, ICS files and bulletin schedules.

- reads ``content/reunions/**.md`` once per run (plugins.meetings.reading);
- expands ``[[calendrier <groupe>]]`` in bulletins while Markdown is
  converted (plugins.meetings.schedule), so HTML, PDF and feeds agree;
- writes ``/calendrier/``, ``/calendrier/<groupe>/``, one page per meeting and
  the ICS files (plugins.meetings.pages, plugins.meetings.ics).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pelican import signals

from plugins.meetings.pages import CalendarGenerator
from plugins.meetings.reading import load_catalogue
from plugins.meetings.schedule import ScheduleExtension, bulletin_marker_problems
from plugins.model import Problem, problem_log


def install_schedule_extension(pelican) -> None:
    """Add the marker's Markdown extension to this run's settings (a copy: runs differ)."""
    settings = pelican.settings
    markdown = dict(settings.get("MARKDOWN", {}))
    markdown["extensions"] = [*markdown.get("extensions", []), ScheduleExtension(settings)]
    markdown["extension_configs"] = dict(markdown.get("extension_configs", {}))
    settings["MARKDOWN"] = markdown
    # Markers are checked in every bulletin of every language: once per build is enough.
    if settings["DEFAULT_LANG"] == next(iter(settings.get("LANGUAGES") or ["fr"]), "fr"):
        problem_log(settings).extend(bulletin_marker_problems(settings))


def calendar_generator(pelican):
    return CalendarGenerator


def collect_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Every meeting problem of the content, without building (``invoke check``)."""
    return list(load_catalogue(settings).problems) + bulletin_marker_problems(settings)


def register() -> None:
    signals.initialized.connect(install_schedule_extension)
    signals.get_generators.connect(calendar_generator)
