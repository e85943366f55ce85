"""ICS calendars (RFC 5545) with ``icalendar``: same content, same bytes.

Nothing depends on the build's clock: UIDs come from the meeting files,
DTSTAMP from the meeting itself, and the VTIMEZONE from the tz database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import icalendar
from icalendar import Calendar, Event, Timezone

from plugins.i18n.typography import typeset_text
from plugins.meetings.reading import TIMEZONE, Revision
from plugins.model import Meeting, MeetingStatus

ICS_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}
PRODID = "-//CTROC//Bulletins//FR"


SPACES = re.compile(r"[ \t\f\v]+")


def plain_text(fragment: str) -> str:
    """HTML → readable plain text (paragraphs and list items on their own lines)."""
    text = re.sub(r"<li[^>]*>", "- ", fragment)
    text = re.sub(r"</(p|li|h\d|tr)>|<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    # Spaces collapsed, the non-breaking ones of French typography kept.
    lines = [SPACES.sub(" ", line).strip(" ") for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def dtstamp(meeting: Meeting, revision: Revision | None = None) -> dt.datetime:
    """From content, not from the clock: ``Modified`` if given, else the meeting's start (UTC)."""
    modified = revision.modified if revision else None
    return modified or meeting.start.astimezone(dt.UTC)


def meeting_event(
    meeting: Meeting, url: str, category: str, revision: Revision | None = None
) -> Event:
    """One VEVENT; all-day meetings use VALUE=DATE with an exclusive DTEND.

    SEQUENCE and LAST-MODIFIED come from ``revision`` (the file's ``Sequence``
    and ``Modified``, see plugins.meetings.reading.Revision).
    """
    from plugins.meetings.reading import STATUS_SEQUENCE

    revision = revision or Revision(STATUS_SEQUENCE[meeting.status])
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", dtstamp(meeting, revision))
    event.add("sequence", revision.sequence)
    if revision.modified:
        event.add("last-modified", revision.modified)
    event.add("summary", typeset_text(meeting.title, meeting.lang))
    if meeting.all_day:
        event.add("dtstart", meeting.first_day)
        event.add("dtend", meeting.last_day + dt.timedelta(days=1))
    else:
        event.add("dtstart", meeting.start)
        if meeting.end > meeting.start:
            event.add("dtend", meeting.end)
    event.add("status", ICS_STATUS[meeting.status])
    if meeting.location:
        event.add("location", typeset_text(meeting.location, meeting.lang))
    event.add("url", url)
    description = plain_text(meeting.objectives_html)
    if description:
        event.add("description", description)
    event.add("categories", [category])
    return event


def quebec_timezone(meetings: Iterable[Meeting]) -> Timezone:
    """VTIMEZONE for America/Montreal covering the meetings' years."""
    years = [m.start.year for m in meetings] or [2013]
    return _timezone_between(min(years) - 1, max(years) + 1)


@functools.lru_cache(maxsize=32)
def _timezone_between(first_year: int, last_year: int) -> Timezone:
    """Built once per span of years (the tz database walk is the slow part)."""
    return Timezone.from_tzid(
        TIMEZONE.key,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 12, 31),
    )


def calendar_bytes(
    meetings: Iterable[Meeting],
    name: str,
    lang: str,
    urls: Mapping[str, str],
    categories: Mapping[str, str],
    revisions: Mapping[str, Revision] | None = None,
) -> bytes:
    """The ICS of ``meetings``; ``urls`` maps uid → absolute URL of its page."""
    meetings = list(meetings)
    revisions = revisions or {}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE.key)
    calendar["x-wr-calname"].params["language"] = lang
    calendar.add_component(quebec_timezone(meetings))
    for meeting in meetings:
        calendar.add_component(
            meeting_event(
                meeting, urls[meeting.uid], categories[meeting.group], revisions.get(meeting.uid)
            )
        )
    return calendar.to_ical()


# ---------------------------------------------------------------------------
# Memo on disk: a calendar whose inputs did not change is not rebuilt.
# ---------------------------------------------------------------------------

CACHE_FOLDER = "meetings-ics"


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """This module's source: editing how an ICS is written invalidates the memo."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def calendar_key(
    meetings: Iterable[Meeting],
    name: str,
    lang: str,
    urls: Mapping[str, str],
    categories: Mapping[str, str],
    revisions: Mapping[str, Revision],
) -> str:
    """Digest of everything that shapes the bytes of ``calendar_bytes``."""
    parts = [
        (repr(m), urls[m.uid], categories[m.group], repr(revisions.get(m.uid))) for m in meetings
    ]
    shape = repr((_code_digest(), icalendar.__version__, PRODID, name, lang, parts))
    return hashlib.sha256(shape.encode("utf-8")).hexdigest()


def cached_calendar_bytes(
    cache_root: Path | None,
    meetings: Iterable[Meeting],
    name: str,
    lang: str,
    urls: Mapping[str, str],
    categories: Mapping[str, str],
    revisions: Mapping[str, Revision] | None = None,
) -> bytes:
    """``calendar_bytes``, read from ``cache_root`` when the same inputs were seen before.

    The same inputs give the same bytes, so the memo never changes the output.
    """
    meetings, revisions = list(meetings), revisions or {}
    if cache_root is None:
        return calendar_bytes(meetings, name, lang, urls, categories, revisions)
    key = calendar_key(meetings, name, lang, urls, categories, revisions)
    path = cache_root / CACHE_FOLDER / key[:2] / f"{key}.ics"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = calendar_bytes(meetings, name, lang, urls, categories, revisions)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass  # a read-only cache only costs time
    return data
