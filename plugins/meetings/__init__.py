"""Meetings of the groups: calendar pages, ICS files and bulletin schedules.

- each meeting file is loaded once with the rest of content/ and checked as
  the catalogue is made (plugins.meetings.reading);
- ``[[calendrier <groupe>]]`` in a bulletin is expanded while the loader
  converts it (plugins.meetings.schedule), so HTML, PDF and feeds agree;
- writes ``/calendrier/``, ``/calendrier/<groupe>/``, one page per meeting and
  the ICS files (plugins.meetings.pages, plugins.meetings.ics).
"""

from __future__ import annotations

from pelican import signals

from plugins.meetings.pages import CalendarGenerator


def calendar_generator(pelican):
    return CalendarGenerator


def register() -> None:
    signals.get_generators.connect(calendar_generator)
